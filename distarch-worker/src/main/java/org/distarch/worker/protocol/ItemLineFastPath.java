package org.distarch.worker.protocol;

/**
 * Reads the JSON of an {@code @@distarch item} line in exactly the form {@link WorkerLineCodec#item} writes it
 * (fields in its order, no blanks, no other fields), without building a JSON tree: the master reads two such
 * lines per queue item. Anything else, however slightly different, and anything whose reading might differ
 * from Jackson's (a surrogate, a control character, a leading zero, a very long value), gives {@code null}, and
 * the codec's strict path decides; where this gives a line, the strict path gives the same line.
 */
final class ItemLineFastPath {

    /** Longer JSON goes through the strict path, which applies Jackson's limits to it. */
    static final int MAX_CHARS = 64 * 1024;

    private final String text;
    private int at;

    private ItemLineFastPath(String text, int at) {
        this.text = text;
        this.at = at;
    }

    /** The item line whose JSON starts at {@code from} in {@code line} and runs to its end, or null. */
    static WorkerLine.QueueItem parse(String line, int from) {
        if (line.length() - from > MAX_CHARS) {
            return null;
        }
        try {
            return new ItemLineFastPath(line, from).item();
        } catch (IndexOutOfBoundsException e) {
            return null; // the line ended inside the JSON: the strict path says what it is
        }
    }

    private WorkerLine.QueueItem item() {
        if (!literal("{\"state\":\"")) {
            return null;
        }
        WorkerLine.ItemState state;
        if (literal("received\"")) {
            state = WorkerLine.ItemState.RECEIVED;
        } else if (literal("handled\"")) {
            state = WorkerLine.ItemState.HANDLED;
        } else if (literal("failed\"")) {
            state = WorkerLine.ItemState.FAILED;
        } else {
            return null;
        }
        if (!literal(",\"itemId\":")) {
            return null;
        }
        String itemId = string();
        if (itemId == null || !literal(",\"attempt\":")) {
            return null;
        }
        long attempt = number(Integer.MAX_VALUE);
        if (attempt < 1) {
            return null;
        }
        String error = null;
        if (literal(",\"error\":")) {
            if (!literal("null")) {
                error = string();
                if (error == null) {
                    return null;
                }
            }
        }
        long consumer = 0;
        if (literal(",\"consumer\":")) {
            consumer = number(Long.MAX_VALUE);
            if (consumer < 0) {
                return null;
            }
        }
        String item = null;
        boolean truncated = false;
        if (literal(",\"item\":")) {
            item = string();
            if (item == null) {
                return null;
            }
            if (literal(",\"itemTruncated\":")) {
                if (literal("true")) {
                    truncated = true;
                } else if (!literal("false")) {
                    return null;
                }
            }
        }
        if (!literal("}") || at != text.length()) {
            return null;
        }
        return new WorkerLine.QueueItem(state, itemId, (int) attempt, error, consumer, item, truncated);
    }

    private boolean literal(String expected) {
        if (text.startsWith(expected, at)) {
            at += expected.length();
            return true;
        }
        return false;
    }

    /** A plain decimal of at most {@code max} without a leading zero (but "0"), or -1. */
    private long number(long max) {
        int start = at;
        long value = 0;
        while (at < text.length()) {
            char c = text.charAt(at);
            if (c < '0' || c > '9') {
                break;
            }
            if (value > (max - (c - '0')) / 10) {
                return -1;
            }
            value = value * 10 + (c - '0');
            at++;
        }
        int digits = at - start;
        if (digits == 0 || (digits > 1 && text.charAt(start) == '0')) {
            return -1;
        }
        if (at < text.length() && (text.charAt(at) == '.' || text.charAt(at) == 'e' || text.charAt(at) == 'E')) {
            return -1;
        }
        return value;
    }

    /** A JSON string at the cursor, or null for one this path does not take. */
    private String string() {
        if (text.charAt(at) != '"') {
            return null;
        }
        at++;
        int start = at;
        while (true) {
            char c = text.charAt(at);
            if (c == '"') {
                return text.substring(start, at++);
            }
            if (c == '\\') {
                return escapedString(start);
            }
            if (c < 0x20 || Character.isSurrogate(c)) {
                return null;
            }
            at++;
        }
    }

    /** ASCII only, as JSON has it ({@link Character#digit} would take other scripts' digits too). */
    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private String escapedString(int start) {
        StringBuilder out = new StringBuilder(text.length() - start).append(text, start, at);
        while (true) {
            char c = text.charAt(at++);
            if (c == '"') {
                return out.toString();
            }
            if (c < 0x20 || Character.isSurrogate(c)) {
                return null;
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char e = text.charAt(at++);
            switch (e) {
                case '"', '\\', '/' -> out.append(e);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    int code = 0;
                    for (int i = 0; i < 4; i++) {
                        int digit = hexDigit(text.charAt(at++));
                        if (digit < 0) {
                            return null;
                        }
                        code = code * 16 + digit;
                    }
                    if (Character.isSurrogate((char) code)) {
                        return null;
                    }
                    out.append((char) code);
                }
                default -> {
                    return null;
                }
            }
        }
    }
}
