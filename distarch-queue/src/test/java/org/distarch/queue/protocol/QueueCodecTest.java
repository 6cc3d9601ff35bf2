package org.distarch.queue.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class QueueCodecTest {

    static final String NONCE = QueueCodec.newNonce(new SecureRandom());

    static List<QueueFrame> allFrames() throws Exception {
        JsonNode object = new ObjectMapper().readTree("{\"a\":[1,2.5,\"x\",null,true],\"b\":{\"c\":\"\\u00e9\\ud83d\\ude00\"}}");
        JsonNodeFactory f = JsonNodeFactory.instance;
        return List.of(
                new QueueFrame.Hello(1, NONCE, true),
                new QueueFrame.Hello(7, NONCE, false),
                new QueueFrame.Hello(1, NONCE, true, true),
                new QueueFrame.Welcome(1),
                new QueueFrame.Welcome(Integer.MAX_VALUE),
                new QueueFrame.Item(1, "item-1", 1, object),
                new QueueFrame.Item(QueueFrame.MAX_DELIVERY, "id with \"quotes\"\n", 3, f.textNode("text")),
                new QueueFrame.Item(2, "n", 1, f.numberNode(42)),
                new QueueFrame.Item(3, "a", 1, f.arrayNode().add(1).add("two")),
                new QueueFrame.Item(4, "b", 2, NullNode.getInstance()),
                new QueueFrame.Item(5, "c", 1, f.booleanNode(false)),
                new QueueFrame.Stop("shutting down"),
                new QueueFrame.Stop(""),
                new QueueFrame.Ping(),
                new QueueFrame.Error("authentication failed"),
                new QueueFrame.Auth(1, "consumer@host-1#2", QueueCodec.proof(new byte[] {1, 2, 3}, NONCE)),
                new QueueFrame.Auth(1, "c", ""),
                new QueueFrame.Ready(1),
                new QueueFrame.Ready(1000),
                new QueueFrame.Done(17),
                new QueueFrame.Failed(18, "boom: \u00fcnicode\ttab"),
                new QueueFrame.Failed(19, ""),
                new QueueFrame.Pong(),
                new QueueFrame.Leave());
    }

    @ParameterizedTest
    @MethodSource("allFrames")
    void everyFrameRoundTrips(QueueFrame frame) throws Exception {
        byte[] encoded = QueueCodec.encode(frame);

        int length = ByteBuffer.wrap(encoded).getInt();
        assertThat(length).isEqualTo(encoded.length - 4);
        assertThat(QueueCodec.decode(Arrays.copyOfRange(encoded, 4, encoded.length))).isEqualTo(frame);
        assertThat(new FrameReader().feed(ByteBuffer.wrap(encoded))).containsExactly(frame);
    }

    @Test
    void everyTypeIsCovered() throws Exception {
        assertThat(allFrames().stream().map(QueueFrame::type).distinct())
                .containsExactlyInAnyOrder("hello", "welcome", "item", "stop", "ping", "error", "auth", "ready",
                        "done", "failed", "pong", "leave");
    }

    /** {@code leave} in a hello is optional: an older feeder's hello, without it, offers no leave. */
    @Test
    void aHelloWithoutLeaveIsAnOlderFeedersAndOffersNone() throws Exception {
        String old = "{\"type\":\"hello\",\"protocol\":1,\"nonce\":\"" + NONCE + "\",\"authRequired\":false}";
        assertThat(QueueCodec.decode(old.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(new QueueFrame.Hello(1, NONCE, false, false));
        assertThat(new String(QueueCodec.payload(new QueueFrame.Hello(1, NONCE, false)), StandardCharsets.UTF_8))
                .as("and a hello without leave is written as before").isEqualTo(old);
    }

    @Test
    void payloadIsOneJsonObjectWithItsType() {
        String json = new String(QueueCodec.payload(new QueueFrame.Done(5)), StandardCharsets.UTF_8);
        assertThat(json).isEqualTo("{\"type\":\"done\",\"delivery\":5}");
    }

    @Test
    void unknownFieldsAreIgnored() throws Exception {
        assertThat(decode("{\"type\":\"done\",\"delivery\":5,\"extra\":{\"x\":[1]},\"more\":null}"))
                .isEqualTo(new QueueFrame.Done(5));
        assertThat(decode("{\"extra\":1,\"type\":\"pong\"}")).isEqualTo(new QueueFrame.Pong());
    }

    @Test
    void authsConsumerIdIsOptionalAndAbsentMeansZero() throws Exception {
        QueueFrame old = QueueCodec.decode("{\"type\":\"auth\",\"protocol\":1,\"consumer\":\"c\",\"proof\":\"\"}"
                .getBytes(StandardCharsets.UTF_8));
        assertThat(old).isEqualTo(new QueueFrame.Auth(1, "c", "", 0));
        QueueFrame.Auth withId = new QueueFrame.Auth(1, "c", "", 17);
        assertThat(new String(QueueCodec.payload(withId), StandardCharsets.UTF_8)).contains("\"consumerId\":17");
        assertThat(QueueCodec.decode(QueueCodec.payload(withId))).isEqualTo(withId);
        assertThat(new String(QueueCodec.payload(new QueueFrame.Auth(1, "c", "")), StandardCharsets.UTF_8))
                .doesNotContain("consumerId");
        assertThatThrownBy(() -> QueueCodec.decode(("{\"type\":\"auth\",\"protocol\":1,\"consumer\":\"c\","
                + "\"proof\":\"\",\"consumerId\":\"2\"}").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("consumerId");
        assertThatThrownBy(() -> QueueCodec.decode(("{\"type\":\"auth\",\"protocol\":1,\"consumer\":\"c\","
                + "\"proof\":\"\",\"consumerId\":-1}").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ProtocolException.class);
    }

    @Test
    void itemPayloadMayBeJsonNull() throws Exception {
        assertThat(decode("{\"type\":\"item\",\"delivery\":1,\"itemId\":\"i\",\"attempt\":1,\"payload\":null}"))
                .isEqualTo(new QueueFrame.Item(1, "i", 1, NullNode.getInstance()));
        assertThat(new QueueFrame.Item(1, "i", 1, null).payload()).isEqualTo(NullNode.getInstance());
    }

    static Stream<Arguments> badPayloads() {
        return Stream.of(
                Arguments.of("[1,2]", "a frame is a JSON object, got an array"),
                Arguments.of("\"done\"", "a frame is a JSON object, got a string"),
                Arguments.of("42", "a frame is a JSON object, got an integer"),
                Arguments.of("null", "a frame is a JSON object, got null"),
                Arguments.of("{\"type\":\"done\"", "not JSON"),
                Arguments.of("{\"type\":\"done\",\"delivery\":1} {}", "not JSON"),
                Arguments.of("{\"type\":\"done\",\"delivery\":1,\"delivery\":2}", "not JSON"),
                Arguments.of("{}", "a frame needs \"type\""),
                Arguments.of("{\"type\":3}", "a frame's \"type\" must be a string, got an integer"),
                Arguments.of("{\"type\":\"launch\"}", "unknown frame type \"launch\""),
                Arguments.of("{\"type\":\"done\"}", "done needs \"delivery\""),
                Arguments.of("{\"type\":\"done\",\"delivery\":\"5\"}", "done's \"delivery\" must be an integer, got a string"),
                Arguments.of("{\"type\":\"done\",\"delivery\":5.5}", "must be an integer, got a fractional number"),
                Arguments.of("{\"type\":\"done\",\"delivery\":0}", "done's delivery must be between 1 and 2^53-1"),
                Arguments.of("{\"type\":\"done\",\"delivery\":9007199254740992}", "between 1 and 2^53-1"),
                Arguments.of("{\"type\":\"done\",\"delivery\":99999999999999999999999}", "an integer out of range"),
                Arguments.of("{\"type\":\"ready\",\"credits\":0}", "ready's credits must be at least 1"),
                Arguments.of("{\"type\":\"ready\",\"credits\":4294967296}", "must be a 32-bit integer"),
                Arguments.of("{\"type\":\"hello\",\"protocol\":1,\"nonce\":\"" + NONCE + "\",\"authRequired\":\"yes\"}",
                        "hello's \"authRequired\" must be true or false, got a string"),
                Arguments.of("{\"type\":\"hello\",\"protocol\":1,\"nonce\":\"%%%\",\"authRequired\":true}",
                        "hello's nonce is not base64"),
                Arguments.of("{\"type\":\"hello\",\"protocol\":1,\"nonce\":\"AAAA\",\"authRequired\":true}",
                        "shorter than 16 bytes"),
                Arguments.of("{\"type\":\"item\",\"delivery\":1,\"itemId\":\"i\",\"attempt\":1}", "item needs \"payload\""),
                Arguments.of("{\"type\":\"item\",\"delivery\":1,\"itemId\":\"\",\"attempt\":1,\"payload\":1}",
                        "item needs an itemId"),
                Arguments.of("{\"type\":\"item\",\"delivery\":1,\"itemId\":\"i\",\"attempt\":0,\"payload\":1}",
                        "attempt must be at least 1"),
                Arguments.of("{\"type\":\"auth\",\"protocol\":1,\"consumer\":\"c\"}", "auth needs \"proof\""),
                Arguments.of("{\"type\":\"auth\",\"protocol\":1,\"consumer\":\"c\",\"proof\":null}",
                        "auth's \"proof\" must be a string, got null"),
                Arguments.of("{\"type\":\"failed\",\"delivery\":1,\"error\":[]}", "failed's \"error\" must be a string, got an array"),
                Arguments.of("{\"type\":\"" + "x".repeat(5000) + "\"}", "unknown frame type \"xxxxxxxx"));
    }

    @ParameterizedTest
    @MethodSource("badPayloads")
    void malformedPayloadsAreRefusedWithAReason(String json, String reason) {
        assertThatThrownBy(() -> decode(json)).isInstanceOf(ProtocolException.class)
                .hasMessageContaining(reason)
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(200));
    }

    @Test
    void nonUtf8IsRefused() {
        byte[] latin1 = "{\"type\":\"failed\",\"delivery\":1,\"error\":\"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> QueueCodec.decode(latin1)).isInstanceOf(ProtocolException.class)
                .hasMessage("payload is not valid UTF-8");
        byte[] utf16 = "{\"type\":\"pong\"}".getBytes(StandardCharsets.UTF_16);
        assertThatThrownBy(() -> QueueCodec.decode(utf16)).isInstanceOf(ProtocolException.class);
        byte[] overlong = {'{', '"', (byte) 0xC0, (byte) 0xA2, '}'};
        assertThatThrownBy(() -> QueueCodec.decode(overlong)).isInstanceOf(ProtocolException.class)
                .hasMessage("payload is not valid UTF-8");
    }

    @Test
    void deepNestingIsRefusedNotAStackOverflow() {
        String deep = "{\"type\":\"item\",\"delivery\":1,\"itemId\":\"i\",\"attempt\":1,\"payload\":"
                + "[".repeat(100_000) + "]".repeat(100_000) + "}";
        assertThatThrownBy(() -> decode(deep)).isInstanceOf(ProtocolException.class).hasMessageContaining("not JSON");
    }

    @Test
    void encodeRefusesAFrameThePeerWouldRefuse() {
        QueueFrame big = new QueueFrame.Item(1, "big", 1, JsonNodeFactory.instance.textNode("x".repeat(2000)));
        assertThatThrownBy(() -> QueueCodec.encode(big, 1000)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exceeds the limit of 1000 bytes");
        assertThat(QueueCodec.encode(big, 5000)).hasSizeGreaterThan(2000);
    }

    @Test
    void recordsRefuseInvalidFields() {
        assertThatThrownBy(() -> new QueueFrame.Done(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new QueueFrame.Ready(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new QueueFrame.Hello(1, null, true)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new QueueFrame.Auth(1, "", "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new QueueFrame.Failed(1, null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void versionHelperRefusesOtherVersions() throws Exception {
        QueueCodec.requireVersion(QueueCodec.PROTOCOL_VERSION);
        assertThatThrownBy(() -> QueueCodec.requireVersion(2)).isInstanceOf(ProtocolException.class)
                .hasMessage("unsupported protocol version 2, this side speaks 1");
    }

    // ---- authentication ------------------------------------------------------------------------------

    @Test
    void nonceIs32RandomBytes() {
        SecureRandom random = new SecureRandom();
        String a = QueueCodec.newNonce(random);
        assertThat(Base64.getDecoder().decode(a)).hasSize(32);
        assertThat(QueueCodec.newNonce(random)).isNotEqualTo(a);
    }

    @Test
    void proofVerifiesWithTheSameSecretOnly() {
        byte[] secret = "s3cret".getBytes(StandardCharsets.UTF_8);
        String proof = QueueCodec.proof(secret, NONCE);

        assertThat(Base64.getDecoder().decode(proof)).hasSize(32);
        assertThat(QueueCodec.verify(secret, NONCE, proof)).isTrue();
        assertThat(QueueCodec.verify("s3creT".getBytes(StandardCharsets.UTF_8), NONCE, proof)).isFalse();
        assertThat(QueueCodec.verify(secret, QueueCodec.newNonce(new SecureRandom()), proof)).isFalse();
        assertThat(QueueCodec.verify(secret, NONCE, "")).isFalse();
        assertThat(QueueCodec.verify(secret, NONCE, "not base64 !")).isFalse();
        assertThat(QueueCodec.verify(secret, NONCE, null)).isFalse();
        assertThat(QueueCodec.verify(secret, NONCE, proof.substring(0, 20))).isFalse();
    }

    @Test
    void proofMatchesAKnownVector() {
        // RFC 4231 test case 2: HMAC-SHA256(key "Jefe", "what do ya want for nothing?"), so that other
        // languages can check their implementation against the same numbers.
        String proof = QueueCodec.proof("Jefe".getBytes(StandardCharsets.US_ASCII), "what do ya want for nothing?");
        assertThat(hex(Base64.getDecoder().decode(proof)))
                .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    @Test
    void proofOfABase64NonceUsesTheNonceTextAsDocumented() {
        // The example in docs/queue-protocol.md: the HMAC is over the nonce's text, not its decoded bytes.
        assertThat(QueueCodec.proof("Jefe".getBytes(StandardCharsets.US_ASCII),
                "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")).isEqualTo("qW8eVpGan+JL4cNYIaycToIp7vaeoG94AYonxcq5deY=");
    }

    @Test
    void withoutASecretTheProofIsEmptyAndOnlyEmptyVerifies() {
        assertThat(QueueCodec.proof(new byte[0], NONCE)).isEmpty();
        assertThat(QueueCodec.proof(null, NONCE)).isEmpty();
        assertThat(QueueCodec.verify(new byte[0], NONCE, "")).isTrue();
        assertThat(QueueCodec.verify(null, NONCE, "")).isTrue();
        assertThat(QueueCodec.verify(new byte[0], NONCE, QueueCodec.proof(new byte[] {1}, NONCE))).isFalse();
    }

    private static QueueFrame decode(String json) throws ProtocolException {
        return QueueCodec.decode(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String hex(byte[] bytes) {
        StringBuilder s = new StringBuilder();
        for (byte b : bytes) {
            s.append(String.format("%02x", b));
        }
        return s.toString();
    }
}
