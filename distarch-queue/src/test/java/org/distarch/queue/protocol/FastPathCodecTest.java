package org.distarch.queue.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The codec's fast paths (the item frame from the item's JSON, the small per-item frames) change what a frame
 * costs, never its bytes or its meaning: compared here with the general path they replace.
 */
class FastPathCodecTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {"order-88", "id with \"quotes\"\n\ttab\\", "\u00e9\u4e2d\ud83d\ude00", "\u0001\u001f", "x"})
    void theItemFrameFromTheItemsJsonIsByteForByteTheGeneralOne(String itemId) throws Exception {
        for (Object item : List.of(42L, "text \u00e9", List.of(1, "two", List.of()), java.util.Map.of("a", 1))) {
            String json = JSON.writeValueAsString(item);
            byte[] general = QueueCodec.encode(new QueueFrame.Item(17, itemId, 2, JSON.readTree(json)), 1 << 20);
            byte[] fast = QueueCodec.encodeItem(17, itemId, 2, json.getBytes(StandardCharsets.UTF_8), 1 << 20);
            assertThat(new String(fast, StandardCharsets.UTF_8)).isEqualTo(new String(general, StandardCharsets.UTF_8));
            assertThat(fast).isEqualTo(general);
        }
    }

    @Test
    void theItemFrameKeepsTheRecordsChecksAndTheLimit() {
        byte[] one = "1".getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> QueueCodec.encodeItem(0, "a", 1, one, 1000)).hasMessageContaining("delivery");
        assertThatThrownBy(() -> QueueCodec.encodeItem(1, "", 1, one, 1000)).hasMessageContaining("itemId");
        assertThatThrownBy(() -> QueueCodec.encodeItem(1, "a", 0, one, 1000)).hasMessageContaining("attempt");
        assertThatThrownBy(() -> QueueCodec.encodeItem(1, "a", 1, new byte[2000], 1000))
                .hasMessageContaining("exceeds the limit of 1000 bytes");
    }

    @Test
    void smallFramesEncodeAsTheGeneralPathWould() throws Exception {
        for (QueueFrame f : List.of(new QueueFrame.Done(1), new QueueFrame.Done(QueueFrame.MAX_DELIVERY),
                new QueueFrame.Ready(1), new QueueFrame.Ready(Integer.MAX_VALUE), new QueueFrame.Ping(),
                new QueueFrame.Pong())) {
            String expected = JSON.writeValueAsString(JSON.createObjectNode().put("type", f.type()).setAll(
                    f instanceof QueueFrame.Done d ? JSON.createObjectNode().put("delivery", d.delivery())
                            : f instanceof QueueFrame.Ready r ? JSON.createObjectNode().put("credits", r.credits())
                            : JSON.createObjectNode()));
            assertThat(new String(QueueCodec.payload(f), StandardCharsets.UTF_8)).isEqualTo(expected);
            assertThat(QueueCodec.decode(QueueCodec.payload(f))).isEqualTo(f);
        }
    }

    /** Forms the fast path does not take: the general path decides, with its own errors or results. */
    @ParameterizedTest
    @ValueSource(strings = {
            "{\"type\":\"done\",\"delivery\":0}",
            "{\"type\":\"done\",\"delivery\":017}",
            "{\"type\":\"done\",\"delivery\":-17}",
            "{\"type\":\"done\",\"delivery\":9007199254740992}",
            "{\"type\":\"done\",\"delivery\":99999999999999999999}",
            "{\"type\":\"done\",\"delivery\":17.0}",
            "{\"type\":\"done\",\"delivery\":17} ",
            "{\"type\":\"done\",\"delivery\":17}}",
            "{\"type\":\"done\",\"delivery\":1 7}",
            "{\"type\": \"done\", \"delivery\": 17}",
            "{\"delivery\":17,\"type\":\"done\"}",
            "{\"type\":\"ready\",\"credits\":0}",
            "{\"type\":\"ready\",\"credits\":2147483648}",
            "{\"type\":\"ready\",\"credits\":1000000000}",
            "{\"type\":\"pong\"} ",
            "{\"type\":\"pong\",\"x\":1}",
            "{\"type\":\"ping\"}"})
    void oddFormsMeanWhatTheGeneralPathSays(String payload) throws Exception {
        byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        assertThat(SmallFrames.decode(bytes, 0, bytes.length) == null
                || SmallFrames.decode(bytes, 0, bytes.length).equals(generalDecode(payload))).isTrue();
        Object fast = outcome(() -> QueueCodec.decode(bytes));
        Object general = outcome(() -> generalDecode(payload));
        assertThat(fast).isEqualTo(general);
    }

    @Test
    void itemFramesAndTheirMutationsMeanWhatTheGeneralPathSays() throws Exception {
        java.util.Random random = new java.util.Random(20261202);
        String[] ids = {"a", "order-88", "id with \"quotes\"", "tab\there", "\u00e9\u4e2d", "back\\slash", "x".repeat(300)};
        Object[] payloads = {42L, -7, 1.5, "text", "\u00e9", List.of(1, "two", List.of()), java.util.Map.of("a", 1),
                java.util.Map.of(), true};
        String noise = "{}[]\",:0123456789-+.eE \\tnulrfas\u00e9\u0000";
        int fastTaken = 0;
        for (int i = 0; i < 20_000; i++) {
            long delivery = random.nextInt(4) == 0 ? QueueFrame.MAX_DELIVERY - random.nextInt(3) : 1 + random.nextInt(1_000_000);
            String json = JSON.writeValueAsString(payloads[random.nextInt(payloads.length)]);
            byte[] frame = QueueCodec.encodeItem(delivery, ids[random.nextInt(ids.length)], 1 + random.nextInt(5),
                    json.getBytes(StandardCharsets.UTF_8), 1 << 20);
            String payload = new String(frame, 4, frame.length - 4, StandardCharsets.UTF_8);
            if (i % 2 == 1) { // a mutation: a character changed, inserted or removed
                StringBuilder b = new StringBuilder(payload);
                int at = random.nextInt(b.length());
                char c = noise.charAt(random.nextInt(noise.length()));
                switch (random.nextInt(3)) {
                    case 0 -> b.setCharAt(at, c);
                    case 1 -> b.insert(at, c);
                    default -> b.deleteCharAt(at);
                }
                payload = b.toString();
            }
            byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
            QueueFrame.Item fast = ItemFrames.decode(bytes, 0, bytes.length, JSON);
            if (fast != null) {
                fastTaken++;
                // the text kept for the received line is the payload's value alone, as the feeder wrote it
                assertThat(JSON.readTree(fast.payloadText())).isEqualTo(fast.payload());
                assertThat(fast.payloadText()).isEqualTo(fast.payloadText().strip());
                if (i % 2 == 0) {
                    assertThat(fast.payloadText()).isEqualTo(json);
                }
            }
            String p = payload;
            assertThat(outcome(() -> QueueCodec.decode(bytes))).as(payload).isEqualTo(outcome(() -> generalDecode(p)));
        }
        assertThat(fastTaken).as("frames the fast path took").isGreaterThan(5_000);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"type\":\"item\",\"delivery\":1,\"itemId\":\"a\",\"attempt\":1,\"payload\":}",
            "{\"type\":\"item\",\"delivery\":1,\"itemId\":\"a\",\"attempt\":1,\"payload\": }",
            "{\"type\":\"item\",\"delivery\":1,\"itemId\":\"a\",\"attempt\":1,\"payload\":1,\"payload\":2}",
            "{\"type\":\"item\",\"delivery\":1,\"itemId\":\"a\",\"attempt\":1,\"payload\":{\"k\":1,\"k\":2}}",
            "{\"type\":\"item\",\"delivery\":1,\"itemId\":\"a\",\"attempt\":1,\"payload\":1} ",
            "{\"type\":\"item\",\"delivery\":1,\"itemId\":\"a\",\"attempt\":1,\"payload\":1 2}",
            "{\"type\":\"item\",\"delivery\":1,\"itemId\":\"\",\"attempt\":1,\"payload\":1}",
            "{\"type\":\"item\",\"delivery\":0,\"itemId\":\"a\",\"attempt\":1,\"payload\":1}",
            "{\"type\":\"item\",\"delivery\":9007199254740992,\"itemId\":\"a\",\"attempt\":1,\"payload\":1}",
            "{\"type\":\"item\",\"delivery\":1,\"itemId\":\"a\",\"attempt\":0,\"payload\":1}",
            "{\"type\":\"item\",\"delivery\":1,\"itemId\":\"a\",\"attempt\":2147483648,\"payload\":1}",
            "{\"type\":\"item\",\"delivery\":1,\"itemId\":\"a\",\"attempt\":1,\"payload\":null}",
            "{\"type\":\"item\",\"delivery\":1,\"itemId\":\"a\",\"attempt\":1,\"payload\":\"\u00e9\"}",
            "{\"type\":\"item\",\"delivery\":1,\"itemId\":\"a\",\"attempt\":1,\"payload\":[1,}"})
    void oddItemFramesMeanWhatTheGeneralPathSays(String payload) {
        byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        assertThat(outcome(() -> QueueCodec.decode(bytes))).isEqualTo(outcome(() -> generalDecode(payload)));
    }

    private interface Decode {
        QueueFrame run() throws Exception;
    }

    private static Object outcome(Decode d) {
        Throwable t = catchThrowable(() -> d.run());
        if (t != null) {
            return t.getClass().getSimpleName() + ": " + t.getMessage();
        }
        try {
            return d.run();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The general path alone: the same payload with a leading space, which the fast path never takes. */
    private static QueueFrame generalDecode(String payload) throws ProtocolException {
        return QueueCodec.decode((" " + payload).getBytes(StandardCharsets.UTF_8));
    }
}
