package org.distarch.queue.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The queue protocol's one codec (docs/queue-protocol.md): each {@link QueueFrame} as a 4-byte big-endian
 * length followed by that many bytes of UTF-8 JSON, one object with a {@code "type"}. Decoding never trusts
 * its input: anything malformed is a {@link ProtocolException} with a short reason. Also the handshake's
 * HMAC proof and the version check.
 */
public final class QueueCodec {

    /** The protocol version this code speaks, sent in {@code hello} and {@code auth}. */
    public static final int PROTOCOL_VERSION = 1;

    /** Default limit of a frame's payload (the length in the header), 1 MiB. */
    public static final int DEFAULT_MAX_FRAME = 1 << 20;

    /** Size of the length header. */
    public static final int HEADER_BYTES = 4;

    private static final int NONCE_BYTES = 32;
    private static final int REASON_ECHO = 40;
    private static final String HMAC = "HmacSHA256";

    private static final JsonStringEncoder JSON_STRINGS = JsonStringEncoder.getInstance();
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private QueueCodec() {}

    // ---- encoding ------------------------------------------------------------------------------------

    /** The whole frame, header and payload, ready to write; refused past {@link #DEFAULT_MAX_FRAME}. */
    public static byte[] encode(QueueFrame frame) {
        return encode(frame, DEFAULT_MAX_FRAME);
    }

    /**
     * The whole frame, header and payload, ready to write.
     *
     * @throws IllegalArgumentException when the payload exceeds {@code maxFrame}: the peer would refuse it
     *                                  (a feeder fails such an item instead of handing it out)
     */
    public static byte[] encode(QueueFrame frame, int maxFrame) {
        byte[] payload = payload(frame);
        if (payload.length > maxFrame) {
            throw new IllegalArgumentException(
                    frame.type() + " frame of " + payload.length + " bytes exceeds the limit of " + maxFrame + " bytes");
        }
        return ByteBuffer.allocate(HEADER_BYTES + payload.length).putInt(payload.length).put(payload).array();
    }

    /**
     * The whole {@code item} frame of an item whose JSON is already written ({@code payloadJson}, UTF-8, one JSON
     * value, as the feeder's mapper wrote it): the same bytes as {@link #encode(QueueFrame, int)} of the
     * {@link QueueFrame.Item}, without building a tree of the item and writing it again.
     *
     * @throws IllegalArgumentException for a field {@link QueueFrame.Item} refuses, or past {@code maxFrame}
     */
    public static byte[] encodeItem(long delivery, String itemId, int attempt, byte[] payloadJson, int maxFrame) {
        new QueueFrame.Item(delivery, itemId, attempt, null); // the record's own checks, one place
        // Through a String, as payload(): an unpaired surrogate becomes '?' instead of an exception.
        byte[] id = ('"' + new String(JSON_STRINGS.quoteAsString(itemId)) + '"').getBytes(StandardCharsets.UTF_8);
        byte[] a = ("{\"type\":\"item\",\"delivery\":" + delivery + ",\"itemId\":").getBytes(StandardCharsets.US_ASCII);
        byte[] b = (",\"attempt\":" + attempt + ",\"payload\":").getBytes(StandardCharsets.US_ASCII);
        int length = a.length + id.length + b.length + payloadJson.length + 1;
        if (length > maxFrame) {
            throw new IllegalArgumentException("item frame of " + length + " bytes exceeds the limit of " + maxFrame
                    + " bytes");
        }
        return ByteBuffer.allocate(HEADER_BYTES + length).putInt(length).put(a).put(id).put(b).put(payloadJson)
                .put((byte) '}').array();
    }

    /** The JSON payload alone, without the header. */
    public static byte[] payload(QueueFrame frame) {
        byte[] small = SmallFrames.encode(frame);
        if (small != null) {
            return small;
        }
        ObjectNode o = JSON.createObjectNode().put("type", frame.type());
        if (frame instanceof QueueFrame.Hello h) {
            o.put("protocol", h.protocol()).put("nonce", h.nonce()).put("authRequired", h.authRequired());
            if (h.leave()) { // optional: absent reads as false, as from feeders older than the field
                o.put("leave", true);
            }
        } else if (frame instanceof QueueFrame.Welcome w) {
            o.put("consumerNumber", w.consumerNumber());
        } else if (frame instanceof QueueFrame.Item i) {
            o.put("delivery", i.delivery()).put("itemId", i.itemId()).put("attempt", i.attempt());
            o.set("payload", i.payload());
        } else if (frame instanceof QueueFrame.Stop s) {
            o.put("reason", s.reason());
        } else if (frame instanceof QueueFrame.Error e) {
            o.put("reason", e.reason());
        } else if (frame instanceof QueueFrame.Auth a) {
            o.put("protocol", a.protocol()).put("consumer", a.consumer()).put("proof", a.proof());
            if (a.consumerId() != 0) { // optional: absent reads as 0, as from consumers older than the field
                o.put("consumerId", a.consumerId());
            }
        } else if (frame instanceof QueueFrame.Ready r) {
            o.put("credits", r.credits());
        } else if (frame instanceof QueueFrame.Done d) {
            o.put("delivery", d.delivery());
        } else if (frame instanceof QueueFrame.Failed f) {
            o.put("delivery", f.delivery()).put("error", f.error());
        }
        // Ping, Pong, Leave: the type alone. Through a String so that an unpaired surrogate becomes '?' instead of
        // an exception: encoding never fails on content.
        try {
            return JSON.writeValueAsString(o).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + frame.type(), e);
        }
    }

    // ---- decoding ------------------------------------------------------------------------------------

    /** Decodes one payload (the bytes after the header). */
    public static QueueFrame decode(byte[] payload) throws ProtocolException {
        return decode(payload, 0, payload.length);
    }

    /** Decodes one payload held in {@code bytes[offset, offset + length)}. */
    public static QueueFrame decode(byte[] bytes, int offset, int length) throws ProtocolException {
        QueueFrame small = SmallFrames.decode(bytes, offset, length);
        if (small != null) {
            return small;
        }
        QueueFrame.Item item = ItemFrames.decode(bytes, offset, length, JSON);
        if (item != null) {
            return item;
        }
        String text;
        try {
            text = ascii(bytes, offset, length) ? new String(bytes, offset, length, StandardCharsets.ISO_8859_1)
                    : StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, offset, length)).toString();
        } catch (CharacterCodingException e) {
            throw new ProtocolException("payload is not valid UTF-8");
        }
        JsonNode o;
        try {
            o = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ProtocolException("payload is not JSON: " + echo(e.getOriginalMessage()));
        } catch (RuntimeException e) {
            throw new ProtocolException("payload is not JSON: " + echo(String.valueOf(e.getMessage())));
        }
        if (o == null || !o.isObject()) {
            throw new ProtocolException("a frame is a JSON object, got " + (o == null ? "nothing" : kind(o)));
        }
        String type = text(o, "type");
        try {
            return switch (type) {
                case "hello" -> new QueueFrame.Hello(integer(o, "protocol"), text(o, "nonce"), bool(o, "authRequired"),
                        o.has("leave") && bool(o, "leave"));
                case "welcome" -> new QueueFrame.Welcome(integer(o, "consumerNumber"));
                case "item" -> new QueueFrame.Item(longInt(o, "delivery"), text(o, "itemId"), integer(o, "attempt"),
                        required(o, "payload"));
                case "stop" -> new QueueFrame.Stop(text(o, "reason"));
                case "ping" -> new QueueFrame.Ping();
                case "error" -> new QueueFrame.Error(text(o, "reason"));
                case "auth" -> new QueueFrame.Auth(integer(o, "protocol"), text(o, "consumer"), text(o, "proof"),
                        o.has("consumerId") ? longInt(o, "consumerId") : 0);
                case "ready" -> new QueueFrame.Ready(integer(o, "credits"));
                case "done" -> new QueueFrame.Done(longInt(o, "delivery"));
                case "failed" -> new QueueFrame.Failed(longInt(o, "delivery"), text(o, "error"));
                case "pong" -> new QueueFrame.Pong();
                case "leave" -> new QueueFrame.Leave();
                default -> throw new ProtocolException("unknown frame type \"" + echo(type) + "\"");
            };
        } catch (IllegalArgumentException e) {
            throw new ProtocolException(e.getMessage());
        }
    }

    /** ASCII is valid UTF-8 as it is: such a payload (the usual one) needs no checking decoder. */
    private static boolean ascii(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            if (bytes[i] < 0) {
                return false;
            }
        }
        return true;
    }

    private static JsonNode required(JsonNode o, String field) throws ProtocolException {
        JsonNode v = o.get(field);
        if (v == null) {
            throw new ProtocolException(frameName(o) + " needs \"" + field + "\"");
        }
        return v;
    }

    private static String text(JsonNode o, String field) throws ProtocolException {
        JsonNode v = required(o, field);
        if (!v.isTextual()) {
            throw wrongType(o, field, "a string", v);
        }
        return v.textValue();
    }

    private static boolean bool(JsonNode o, String field) throws ProtocolException {
        JsonNode v = required(o, field);
        if (!v.isBoolean()) {
            throw wrongType(o, field, "true or false", v);
        }
        return v.booleanValue();
    }

    private static int integer(JsonNode o, String field) throws ProtocolException {
        JsonNode v = required(o, field);
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw wrongType(o, field, "a 32-bit integer", v);
        }
        return v.intValue();
    }

    private static long longInt(JsonNode o, String field) throws ProtocolException {
        JsonNode v = required(o, field);
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw wrongType(o, field, "an integer", v);
        }
        return v.longValue();
    }

    private static ProtocolException wrongType(JsonNode o, String field, String expected, JsonNode got) {
        return new ProtocolException(
                frameName(o) + "'s \"" + field + "\" must be " + expected + ", got " + kind(got));
    }

    private static String frameName(JsonNode o) {
        JsonNode type = o.get("type");
        return type != null && type.isTextual() ? echo(type.textValue()) : "a frame";
    }

    private static String kind(JsonNode n) {
        if (n.isObject()) {
            return "an object";
        } else if (n.isArray()) {
            return "an array";
        } else if (n.isTextual()) {
            return "a string";
        } else if (n.isBoolean()) {
            return "a boolean";
        } else if (n.isNull()) {
            return "null";
        } else if (n.isIntegralNumber()) {
            return "an integer out of range";
        } else if (n.isNumber()) {
            return "a fractional number";
        }
        return n.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    }

    /** At most a few dozen characters of the peer's data, so a reason is safe to log. */
    private static String echo(String s) {
        if (s == null) {
            return "";
        }
        String line = s.replaceAll("[\\p{Cntrl}]", "?");
        return line.length() <= REASON_ECHO ? line : line.substring(0, REASON_ECHO) + "...";
    }

    // ---- version -------------------------------------------------------------------------------------

    /** Refuses a {@code hello} or {@code auth} of another version; the reason is ready for an error frame. */
    public static void requireVersion(int protocol) throws ProtocolException {
        if (protocol != PROTOCOL_VERSION) {
            throw new ProtocolException(
                    "unsupported protocol version " + protocol + ", this side speaks " + PROTOCOL_VERSION);
        }
    }

    // ---- authentication ------------------------------------------------------------------------------

    /** A fresh challenge for {@code hello}: 32 random bytes, base64. */
    public static String newNonce(SecureRandom random) {
        byte[] raw = new byte[NONCE_BYTES];
        random.nextBytes(raw);
        return Base64.getEncoder().encodeToString(raw);
    }

    /**
     * The consumer's answer to a nonce: base64 (standard, padded) of HMAC-SHA256 keyed with the secret over
     * the nonce's ASCII characters exactly as received. Empty when there is no secret (null or empty).
     */
    public static String proof(byte[] secret, String nonce) {
        if (secret == null || secret.length == 0) {
            return "";
        }
        return Base64.getEncoder().encodeToString(hmac(secret, nonce));
    }

    /**
     * Whether {@code proof} answers {@code nonce} for {@code secret}, in time independent of where the bytes
     * differ. Without a secret only an empty proof is accepted (a consumer that sends one has a secret the
     * feeder lacks: a configuration error worth refusing).
     */
    public static boolean verify(byte[] secret, String nonce, String proof) {
        if (proof == null) {
            return false;
        }
        if (secret == null || secret.length == 0) {
            return proof.isEmpty();
        }
        byte[] given;
        try {
            given = Base64.getDecoder().decode(proof);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(hmac(secret, nonce), given);
    }

    private static byte[] hmac(byte[] secret, String nonce) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(secret, HMAC));
            return mac.doFinal(nonce.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }
}
