package org.distarch.queue.protocol;

import java.nio.charset.StandardCharsets;

/**
 * The codec's fast path for the frames that go by once per item or keepalive ({@code done}, {@code ready},
 * {@code ping}, {@code pong}), in the exact form {@link QueueCodec} writes them: {@code {"type":"done","delivery":17}}.
 * Encoding gives the same bytes as the general path. Decoding recognises only that exact form, with a plain
 * number (no sign, no leading zero, short enough to fit): anything else (spaces, other field order, another
 * frame, anything odd) returns null and goes through the general, strict path, which gives the errors.
 * So the fast path changes what a frame costs, never what it means.
 */
final class SmallFrames {

    private static final byte[] DONE = ascii("{\"type\":\"done\",\"delivery\":");
    private static final byte[] READY = ascii("{\"type\":\"ready\",\"credits\":");
    private static final byte[] PING = ascii("{\"type\":\"ping\"}");
    private static final byte[] PONG = ascii("{\"type\":\"pong\"}");
    private static final QueueFrame.Ping PING_FRAME = new QueueFrame.Ping();
    private static final QueueFrame.Pong PONG_FRAME = new QueueFrame.Pong();
    /** 2^53 - 1 has 16 digits; ready's int credits get at most 9, so that they always fit. */
    private static final int DELIVERY_DIGITS = 16;
    private static final int CREDIT_DIGITS = 9;

    private SmallFrames() {}

    /** The payload of a small frame, or null for any other frame. */
    static byte[] encode(QueueFrame frame) {
        if (frame instanceof QueueFrame.Done d) {
            return withNumber(DONE, d.delivery());
        } else if (frame instanceof QueueFrame.Ready r) {
            return withNumber(READY, r.credits());
        } else if (frame instanceof QueueFrame.Ping) {
            return PING.clone();
        } else if (frame instanceof QueueFrame.Pong) {
            return PONG.clone();
        }
        return null;
    }

    /** The frame in {@code bytes[offset, offset + length)} if it is one of the small frames in its exact form, else null. */
    static QueueFrame decode(byte[] bytes, int offset, int length) {
        if (length < PING.length || bytes[offset] != '{') {
            return null;
        }
        long n = number(bytes, offset, length, DONE, DELIVERY_DIGITS);
        if (n > 0 && n <= QueueFrame.MAX_DELIVERY) {
            return new QueueFrame.Done(n);
        }
        n = number(bytes, offset, length, READY, CREDIT_DIGITS);
        if (n > 0) {
            return new QueueFrame.Ready((int) n);
        }
        if (equals(bytes, offset, length, PONG)) {
            return PONG_FRAME;
        }
        if (equals(bytes, offset, length, PING)) {
            return PING_FRAME;
        }
        return null;
    }

    /** The number after {@code prefix} and before the closing brace, or -1 when the frame is not exactly that. */
    private static long number(byte[] bytes, int offset, int length, byte[] prefix, int maxDigits) {
        int digits = length - prefix.length - 1;
        if (digits < 1 || digits > maxDigits || bytes[offset + length - 1] != '}') {
            return -1;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[offset + i] != prefix[i]) {
                return -1;
            }
        }
        int at = offset + prefix.length;
        if (bytes[at] == '0') {
            return -1; // 0, or a leading zero: the general path says what is wrong
        }
        long n = 0;
        for (int i = 0; i < digits; i++) {
            byte b = bytes[at + i];
            if (b < '0' || b > '9') {
                return -1;
            }
            n = n * 10 + (b - '0');
        }
        return n;
    }

    private static boolean equals(byte[] bytes, int offset, int length, byte[] expected) {
        if (length != expected.length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (bytes[offset + i] != expected[i]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] withNumber(byte[] prefix, long n) {
        byte[] digits = Long.toString(n).getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[prefix.length + digits.length + 1];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        System.arraycopy(digits, 0, out, prefix.length, digits.length);
        out[out.length - 1] = '}';
        return out;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
