package org.distarch.queue.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The codec's fast path for reading an {@code item} frame, the one frame a consumer reads per item, in the
 * exact form {@link QueueCodec#encodeItem} writes: {@code {"type":"item","delivery":17,"itemId":"a-1","attempt":1,
 * "payload":...}}. It reads the envelope off the bytes and gives only the payload to Jackson, instead of a tree
 * of the whole frame decoded to a string first. It takes only an all-ASCII frame whose item id has no escape,
 * and plain numbers (no sign, no leading zero); anything else, odd or hostile, returns null and goes through
 * the general, strict path, which gives the errors. So it changes what a frame costs, never what it means
 * ({@code FastPathCodecTest} compares the two).
 */
final class ItemFrames {

    private static final byte[] TYPE = ascii("{\"type\":\"item\",\"delivery\":");
    private static final byte[] ITEM_ID = ascii(",\"itemId\":\"");
    private static final byte[] ATTEMPT = ascii("\",\"attempt\":");
    private static final byte[] PAYLOAD = ascii(",\"payload\":");
    private static final int DELIVERY_DIGITS = 16;
    private static final int ATTEMPT_DIGITS = 9;

    private ItemFrames() {}

    /** The item frame in {@code bytes[offset, offset + length)} if it is in the exact form, else null. */
    static QueueFrame.Item decode(byte[] bytes, int offset, int length, ObjectMapper json) {
        int end = offset + length;
        if (!startsWith(bytes, offset, end, TYPE) || bytes[end - 1] != '}') {
            return null;
        }
        for (int i = offset; i < end; i++) {
            if (bytes[i] < 0) {
                return null; // UTF-8 beyond ASCII: the general path checks it strictly
            }
        }
        int at = offset + TYPE.length;
        int digitsEnd = digits(bytes, at, end, DELIVERY_DIGITS);
        if (digitsEnd < 0 || !startsWith(bytes, digitsEnd, end, ITEM_ID)) {
            return null;
        }
        long delivery = value(bytes, at, digitsEnd);
        if (delivery > QueueFrame.MAX_DELIVERY) {
            return null;
        }
        int idStart = digitsEnd + ITEM_ID.length;
        int idEnd = idStart;
        while (idEnd < end && bytes[idEnd] != '"') {
            if (bytes[idEnd] == '\\' || bytes[idEnd] < 0x20) {
                return null; // escapes, or what JSON refuses in a string: the general path
            }
            idEnd++;
        }
        if (idEnd == idStart || !startsWith(bytes, idEnd, end, ATTEMPT)) {
            return null;
        }
        at = idEnd + ATTEMPT.length;
        digitsEnd = digits(bytes, at, end, ATTEMPT_DIGITS);
        if (digitsEnd < 0 || !startsWith(bytes, digitsEnd, end, PAYLOAD)) {
            return null;
        }
        int attempt = (int) value(bytes, at, digitsEnd);
        int payloadStart = digitsEnd + PAYLOAD.length;
        if (payloadStart >= end - 1 || whitespace(bytes[payloadStart]) || whitespace(bytes[end - 2])) {
            return null; // nothing, or not the exact form: the text kept for the payload must be the value alone
        }
        JsonNode payload;
        try {
            payload = json.readTree(bytes, payloadStart, end - 1 - payloadStart);
        } catch (IOException | RuntimeException e) {
            return null; // the general path says what is wrong
        }
        if (payload == null || payload.isMissingNode()) {
            return null;
        }
        try {
            return new QueueFrame.Item(delivery, new String(bytes, idStart, idEnd - idStart,
                    StandardCharsets.ISO_8859_1), attempt, payload,
                    new String(bytes, payloadStart, end - 1 - payloadStart, StandardCharsets.ISO_8859_1));
        } catch (IllegalArgumentException e) {
            return null; // the record refuses it: the general path says so
        }
    }

    /** Where the plain number at {@code at} ends (1 to {@code max} digits, no leading zero), or -1. */
    private static int digits(byte[] bytes, int at, int end, int max) {
        int i = at;
        while (i < end && i - at <= max && bytes[i] >= '0' && bytes[i] <= '9') {
            i++;
        }
        if (i == at || i - at > max || bytes[at] == '0') {
            return -1;
        }
        return i;
    }

    private static boolean whitespace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }

    private static long value(byte[] bytes, int from, int to) {
        long n = 0;
        for (int i = from; i < to; i++) {
            n = n * 10 + (bytes[i] - '0');
        }
        return n;
    }

    private static boolean startsWith(byte[] bytes, int at, int end, byte[] prefix) {
        if (end - at < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[at + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
