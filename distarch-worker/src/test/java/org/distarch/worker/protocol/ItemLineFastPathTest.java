package org.distarch.worker.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The item lines' fast path against the strict (Jackson) reading: on every line the encoder writes it answers,
 * with the strict path's line; on generated, mutated and hostile lines it either answers the same as the strict
 * path or leaves the line to it, so {@link WorkerLineCodec#parse} reads every line as it did before.
 */
class ItemLineFastPathTest {

    private static final long SEED = 0x17E3_FA57L;
    private static final int CASES = 20_000;
    private static final int JSON_AT = WorkerLineCodec.PREFIX.length() + "item ".length();
    /** Characters that make strings interesting: quotes, escapes, controls, surrogates, non-ASCII digits. */
    private static final String HOSTILE = "\"\\/\b\f\n\r\t\u0000\u001f\u007f\u00e9\u0660\uff10\ud83d\ude00\ud800{}[],:";

    private final Random random = new Random(SEED);

    private static WorkerLine strict(String line) {
        try {
            WorkerLine read = WorkerLineCodec.parseItem(line.substring(JSON_AT));
            return read != null ? read : new WorkerLine.Output(line);
        } catch (RuntimeException e) {
            return new WorkerLine.Output(line);
        }
    }

    /** Both paths agree where the fast one answers, and parse gives what the strict path alone gave. */
    private static WorkerLine.QueueItem assertAgrees(String line) {
        WorkerLine expected = strict(line);
        WorkerLine.QueueItem fast = line.length() >= JSON_AT ? ItemLineFastPath.parse(line, JSON_AT) : null;
        if (fast != null) {
            assertThat(fast).as("fast path on %s", line).isEqualTo(expected);
        }
        assertThat(WorkerLineCodec.parse(line)).as("parse of %s", line).isEqualTo(expected);
        return fast;
    }

    @Test
    void everyLineTheEncoderWritesTakesTheFastPathAndReadsAsTheStrictPathReadsIt() {
        for (int i = 0; i < CASES; i++) {
            WorkerLine.QueueItem item = randomItem();
            String line = WorkerLineCodec.item(item);
            WorkerLine.QueueItem fast = assertAgrees(line);
            if (!hasSurrogate(line)) {
                assertThat(fast).as("the fast path takes %s", line).isEqualTo(item);
            }
        }
    }

    @Test
    void mutatedItemLinesReadAsTheStrictPathReadsThem() {
        for (int i = 0; i < CASES; i++) {
            StringBuilder line = new StringBuilder(WorkerLineCodec.item(randomItem()));
            int mutations = 1 + random.nextInt(3);
            for (int m = 0; m < mutations; m++) {
                int at = JSON_AT + random.nextInt(line.length() - JSON_AT + 1);
                switch (random.nextInt(3)) {
                    case 0 -> line.insert(at, randomChar());
                    case 1 -> {
                        if (at < line.length()) {
                            line.deleteCharAt(at);
                        }
                    }
                    default -> {
                        if (at < line.length()) {
                            line.setCharAt(at, randomChar());
                        }
                    }
                }
            }
            assertAgrees(line.toString());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"state\":\"received\",\"itemId\":\"a\",\"attempt\":1}",
            "{\"state\":\"received\",\"itemId\":\"a\",\"attempt\":1} ",
            " {\"state\":\"received\",\"itemId\":\"a\",\"attempt\":1}",
            "{\"state\":\"received\",\"itemId\":\"a\",\"attempt\":01}",
            "{\"state\":\"received\",\"itemId\":\"a\",\"attempt\":0}",
            "{\"state\":\"received\",\"itemId\":\"a\",\"attempt\":-1}",
            "{\"state\":\"received\",\"itemId\":\"a\",\"attempt\":1.0}",
            "{\"state\":\"received\",\"itemId\":\"a\",\"attempt\":1e0}",
            "{\"state\":\"received\",\"itemId\":\"a\",\"attempt\":2147483647}",
            "{\"state\":\"received\",\"itemId\":\"a\",\"attempt\":2147483648}",
            "{\"state\":\"received\",\"itemId\":\"a\",\"attempt\":99999999999999999999999}",
            "{\"state\":\"received\",\"itemId\":\"a\",\"attempt\":1,\"consumer\":0}",
            "{\"state\":\"received\",\"itemId\":\"a\",\"attempt\":1,\"consumer\":00}",
            "{\"state\":\"received\",\"itemId\":\"a\",\"attempt\":1,\"consumer\":9223372036854775807}",
            "{\"state\":\"received\",\"itemId\":\"a\",\"attempt\":1,\"consumer\":9223372036854775808}",
            "{\"state\":\"received\",\"itemId\":\"a\",\"attempt\":1,\"consumer\":-3}",
            "{\"state\":\"received\",\"itemId\":\"a\",\"attempt\":1,\"error\":\"x\"}",
            "{\"state\":\"failed\",\"itemId\":\"a\",\"attempt\":1,\"error\":null}",
            "{\"state\":\"failed\",\"itemId\":\"a\",\"attempt\":1}",
            "{\"state\":\"failed\",\"itemId\":\"a\",\"attempt\":1,\"error\":7}",
            "{\"state\":\"handled\",\"itemId\":\"a\",\"attempt\":1,\"item\":null}",
            "{\"state\":\"handled\",\"itemId\":\"a\",\"attempt\":1,\"item\":\"{}\",\"itemTruncated\":false}",
            "{\"state\":\"handled\",\"itemId\":\"a\",\"attempt\":1,\"item\":\"{}\",\"itemTruncated\":true}",
            "{\"state\":\"handled\",\"itemId\":\"a\",\"attempt\":1,\"itemTruncated\":true}",
            "{\"state\":\"handled\",\"itemId\":\"a\",\"attempt\":1,\"item\":\"{}\",\"itemTruncated\":1}",
            "{\"state\":\"handled\",\"itemId\":\"a\",\"attempt\":1,\"other\":1}",
            "{\"state\":\"handled\",\"itemId\":\"a\",\"attempt\":1,\"attempt\":2}",
            "{\"state\":\"handled\",\"itemId\":\"a\",\"itemId\":\"b\",\"attempt\":1}",
            "{\"itemId\":\"a\",\"state\":\"handled\",\"attempt\":1}",
            "{\"state\":\"done\",\"itemId\":\"a\",\"attempt\":1}",
            "{\"state\":\"HANDLED\",\"itemId\":\"a\",\"attempt\":1}",
            "{\"state\":\"handled\",\"itemId\":null,\"attempt\":1}",
            "{\"state\":\"handled\",\"itemId\":5,\"attempt\":1}",
            "{\"state\":\"handled\",\"itemId\":\"a\\u0041\\u00e9\\/\\\"\\\\\\b\\f\\n\\r\\t\",\"attempt\":1}",
            "{\"state\":\"handled\",\"itemId\":\"a\\u00\",\"attempt\":1}",
            "{\"state\":\"handled\",\"itemId\":\"a\\u0g41\",\"attempt\":1}",
            "{\"state\":\"handled\",\"itemId\":\"a\\u\uff10041\",\"attempt\":1}",
            "{\"state\":\"handled\",\"itemId\":\"a\\x\",\"attempt\":1}",
            "{\"state\":\"handled\",\"itemId\":\"a\\ud83d\\ude00\",\"attempt\":1}",
            "{\"state\":\"handled\",\"itemId\":\"a\\ud83d\",\"attempt\":1}",
            "{\"state\":\"handled\",\"itemId\":\"a\ud83d\",\"attempt\":1}",
            "{\"state\":\"handled\",\"itemId\":\"a\tb\",\"attempt\":1}",
            "{\"state\":\"handled\",\"itemId\":\"a\u0000b\",\"attempt\":1}",
            "{\"state\":\"handled\",\"itemId\":\"a\\",
            "{\"state\":\"handled\",\"itemId\":\"a",
            "{\"state\":\"handled\",\"itemId\":\"a\",\"attempt\":1",
            "{\"state\":\"handled\",\"itemId\":\"a\",\"attempt\":1}}",
            "{\"state\":\"handled\",\"itemId\":\"a\",\"attempt\":1}x",
            "{\"state\":\"handled\",\"itemId\":\"a\",\"attempt\":1}{}",
            "{'state':'handled','itemId':'a','attempt':1}",
            "{}",
            "[]",
            "null",
            "",
    })
    void hostileItemJsonReadsAsTheStrictPathReadsIt(String json) {
        assertAgrees(WorkerLineCodec.PREFIX + "item " + json);
    }

    @Test
    void longLinesAreLeftToTheStrictPath() {
        String id = "x".repeat(ItemLineFastPath.MAX_CHARS);
        String line = WorkerLineCodec.PREFIX + "item {\"state\":\"received\",\"itemId\":\"" + id + "\",\"attempt\":1}";
        assertThat(ItemLineFastPath.parse(line, JSON_AT)).isNull();
        assertThat(WorkerLineCodec.parse(line)).isEqualTo(new WorkerLine.QueueItem(WorkerLine.ItemState.RECEIVED, id,
                1, null));
    }

    private WorkerLine.QueueItem randomItem() {
        WorkerLine.ItemState state = WorkerLine.ItemState.values()[random.nextInt(3)];
        int attempt = random.nextInt(10) == 0 ? Integer.MAX_VALUE : 1 + random.nextInt(20);
        long consumer = switch (random.nextInt(4)) {
            case 0 -> 0;
            case 1 -> Long.MAX_VALUE;
            default -> random.nextInt(1000);
        };
        String item = random.nextInt(3) == 0 ? null : randomText(random.nextInt(10) == 0 ? 5000 : 40);
        String error = random.nextBoolean() ? null : randomText(30);
        return new WorkerLine.QueueItem(state, randomText(12), attempt, error, consumer, item, random.nextInt(5) == 0);
    }

    private String randomText(int maxLength) {
        int length = random.nextInt(maxLength + 1);
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(randomChar());
        }
        return text.toString();
    }

    private char randomChar() {
        return switch (random.nextInt(4)) {
            case 0 -> HOSTILE.charAt(random.nextInt(HOSTILE.length()));
            case 1 -> (char) random.nextInt(0x10000);
            default -> (char) (0x20 + random.nextInt(0x5f));
        };
    }

    private static boolean hasSurrogate(String text) {
        return text.chars().anyMatch(c -> Character.isSurrogate((char) c));
    }
}
