package org.distarch.worker.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Random;
import org.distarch.worker.protocol.WorkerLine.ItemState;
import org.distarch.worker.protocol.WorkerLine.Output;
import org.distarch.worker.protocol.WorkerLine.QueueItem;
import org.junit.jupiter.api.Test;

/** The {@code @@distarch item} line: its fields, the optional consumer and item, and the item's cut-off. */
class QueueItemLineTest {

    @Test
    void aReceivedLineFromAnOldConsumerReadsWithConsumerZeroAndNoItem() {
        assertThat(WorkerLineCodec.parse("@@distarch item {\"state\":\"received\",\"itemId\":\"a\",\"attempt\":1}"))
                .isEqualTo(new QueueItem(ItemState.RECEIVED, "a", 1, null, 0, null, false));
    }

    @Test
    void anOutcomeLineCarriesTheConsumerAndTheItemBothWays() {
        QueueItem q = new QueueItem(ItemState.FAILED, "order-8", 2, "no stock", 3, "{\"order\":8}", false);
        String line = WorkerLineCodec.item(q);
        assertThat(line).isEqualTo("@@distarch item {\"state\":\"failed\",\"itemId\":\"order-8\",\"attempt\":2,"
                + "\"error\":\"no stock\",\"consumer\":3,\"item\":\"{\\\"order\\\":8}\"}");
        assertThat(WorkerLineCodec.parse(line)).isEqualTo(q);
    }

    @Test
    void theItemIsCutAt4096CharactersAndMarkedTruncated() {
        String big = "\"" + "x".repeat(5000) + "\"";
        QueueItem q = new QueueItem(ItemState.HANDLED, "a", 1, null, 7, big, false);
        assertThat(q.item()).hasSize(QueueItem.MAX_ITEM_CHARS);
        assertThat(q.itemTruncated()).isTrue();
        String line = WorkerLineCodec.item(q);
        assertThat(line).contains("\"itemTruncated\":true");
        assertThat(WorkerLineCodec.parse(line)).isEqualTo(q);
        QueueItem exact = new QueueItem(ItemState.HANDLED, "a", 1, null, 7, "y".repeat(4096), false);
        assertThat(exact.itemTruncated()).isFalse();
        assertThat(WorkerLineCodec.item(exact)).doesNotContain("itemTruncated");
    }

    @Test
    void theCutNeverSplitsASurrogatePair() {
        String text = "a".repeat(QueueItem.MAX_ITEM_CHARS - 1) + "\uD83D\uDE00" + "tail";
        QueueItem q = new QueueItem(ItemState.HANDLED, "a", 1, null, 0, text, false);
        assertThat(q.item()).hasSize(QueueItem.MAX_ITEM_CHARS - 1).doesNotContain("\uD83D");
        assertThat(q.itemTruncated()).isTrue();
    }

    @Test
    void theLineIsWhatTheMapperWritesForTheTreeOfItsFieldsWhateverTheirCharacters() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        Random random = new Random(20261202);
        String[] odd = {"", "\"", "\\", "\n\r\t", "\u0000\u001f\u007f", "caf\u00e9", "\uD83D\uDE00", "\uD83D",
                "\uDE00x", "</script>", "\u2028\u2029", "{\"a\":[1,2]}"};
        for (int i = 0; i < 5_000; i++) {
            ItemState state = ItemState.values()[random.nextInt(ItemState.values().length)];
            String id = odd[random.nextInt(odd.length)] + random.nextInt(1000);
            String error = state == ItemState.FAILED ? odd[random.nextInt(odd.length)] + "e" : null;
            long consumer = random.nextBoolean() ? 0 : random.nextInt(Integer.MAX_VALUE) * 7L;
            String item = random.nextInt(4) == 0 ? null : odd[random.nextInt(odd.length)].repeat(random.nextInt(900));
            QueueItem q = new QueueItem(state, id, 1 + random.nextInt(9), error, consumer, item, false);

            ObjectNode tree = mapper.createObjectNode();
            tree.put("state", q.state().wireName());
            tree.put("itemId", q.itemId());
            tree.put("attempt", q.attempt());
            if (state == ItemState.FAILED) {
                tree.put("error", q.error());
            }
            if (q.consumer() != 0) {
                tree.put("consumer", q.consumer());
            }
            if (q.item() != null) {
                tree.put("item", q.item());
                if (q.itemTruncated()) {
                    tree.put("itemTruncated", true);
                }
            }
            String line = WorkerLineCodec.item(q);
            assertThat(line).isEqualTo("@@distarch item " + mapper.writeValueAsString(tree));
            assertThat(WorkerLineCodec.parse(line)).isEqualTo(q);
        }
    }

    @Test
    void malformedOptionalFieldsMakeTheLineAnOrdinaryOne() {
        for (String bad : new String[] {"\"consumer\":-1", "\"consumer\":\"3\"", "\"consumer\":1.5", "\"item\":{}",
                "\"itemTruncated\":\"yes\""}) {
            String line = "@@distarch item {\"state\":\"handled\",\"itemId\":\"a\",\"attempt\":1," + bad + "}";
            assertThat(WorkerLineCodec.parse(line)).as(bad).isEqualTo(new Output(line));
        }
    }
}
