package org.distarch.output;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Cuts a byte stream into text lines, whatever the bytes are: invalid UTF-8 becomes U+FFFD, control
 * characters (C0 other than tab, DEL, C1 U+0080–U+009F) and the bidi embeddings, overrides and isolates
 * (U+202A–U+202E, U+2066–U+2069) become U+FFFD so that a worker cannot drive the operator's terminal or
 * reorder what it shows, a trailing CR is dropped, and a line longer than {@code maxLineBytes} is cut there and marked
 * {@code [truncated N bytes]} once its end (or the end of the stream) arrives. Memory stays bounded by
 * {@code maxLineBytes} however long the line is. Not thread-safe: one splitter per stream.
 *
 * <p>A line that lies whole in the bytes fed (the usual case when a reader feeds what one {@code read}
 * returned) is made into its text straight from them, with one scan for its end that also tells whether it is
 * plain ASCII and whether it may hold a control character; only a line cut by the end of a chunk, or too long,
 * is gathered byte by byte. The rules above are the same either way.
 */
public final class LineSplitter {

    public static final int DEFAULT_MAX_LINE_BYTES = 64 * 1024;

    private final int maxLineBytes;
    private final Consumer<String> sink;
    private final byte[] line;
    private int length;
    private long dropped;
    private boolean hasControl;
    private byte[] scratch;

    public LineSplitter(int maxLineBytes, Consumer<String> sink) {
        if (maxLineBytes < 16) {
            throw new IllegalArgumentException("maxLineBytes must be at least 16");
        }
        this.maxLineBytes = maxLineBytes;
        this.sink = sink;
        this.line = new byte[maxLineBytes];
    }

    public void feed(byte[] bytes, int offset, int count) {
        int end = offset + count;
        int i = offset;
        while (i < end) {
            i = length == 0 && dropped == 0 ? scanInPlace(bytes, i, end) : feedPartial(bytes, i, end);
        }
    }

    /**
     * Feeds what {@code buffer} holds between its position and its limit, and moves its position to the limit
     * (for readers that get a {@code ByteBuffer}, direct or not).
     */
    public void feed(ByteBuffer buffer) {
        if (buffer.hasArray()) {
            int n = buffer.remaining();
            feed(buffer.array(), buffer.arrayOffset() + buffer.position(), n);
            buffer.position(buffer.limit());
            return;
        }
        if (scratch == null) {
            scratch = new byte[8192];
        }
        while (buffer.hasRemaining()) {
            int n = Math.min(scratch.length, buffer.remaining());
            buffer.get(scratch, 0, n);
            feed(scratch, 0, n);
        }
    }

    /**
     * The fast path, with no line begun: finds the line's end in {@code bytes} itself and makes the line's text
     * from there (one copy), noting on the way whether it is plain ASCII and whether it may hold a control
     * character. A line that does not end in this chunk, or is too long, is left to {@link #feedPartial}.
     * Returns where the next line starts.
     */
    private int scanInPlace(byte[] bytes, int start, int end) {
        int limit = end - start > maxLineBytes ? start + maxLineBytes : end;
        boolean control = false;
        boolean ascii = true;
        int j = start;
        for (; j < limit; j++) {
            byte b = bytes[j];
            if (b >= 0x20 && b != 0x7f) {
                continue; // printable ASCII, the common case
            }
            if (b == '\n') {
                break;
            }
            if (b < 0) {
                ascii = false;
                // C1 controls are encoded as C2 80..9F and the bidi controls as E2 80 AA..AE / E2 81 A6..A9:
                // flag the lead byte, and let replaceControls look at the decoded characters
                if (b == (byte) 0xC2 || b == (byte) 0xE2) {
                    control = true;
                }
            } else if (b != '\t') {
                control = true;
            }
        }
        if (j < end && bytes[j] == '\n') {
            int n = j - start;
            if (n > 0 && bytes[j - 1] == '\r') {
                n--;
            }
            String text = new String(bytes, start, n, ascii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
            sink.accept(control ? replaceControls(text) : text);
            return j + 1;
        }
        // The line goes on past this chunk (or past the cap): keep what there is and go on byte by byte.
        int n = j - start;
        System.arraycopy(bytes, start, line, 0, n);
        length = n;
        hasControl = control;
        return j;
    }

    /** A line is begun (in {@link #line}): byte by byte up to its end, then back to the fast path. */
    private int feedPartial(byte[] bytes, int from, int end) {
        for (int i = from; i < end; i++) {
            byte b = bytes[i];
            if (b == '\n') {
                emit();
                return i + 1;
            } else if (length < maxLineBytes) {
                if ((b >= 0 && b < 0x20 && b != '\t') || b == 0x7f || b == (byte) 0xC2 || b == (byte) 0xE2) {
                    hasControl = true;
                }
                line[length++] = b;
            } else {
                dropped++;
            }
        }
        return end;
    }

    /** The stream ended: a last line without a newline is still a line. */
    public void finish() {
        if (length > 0 || dropped > 0) {
            emit();
        }
    }

    private void emit() {
        int n = length;
        if (dropped == 0 && n > 0 && line[n - 1] == '\r') {
            n--;
        }
        String text = new String(line, 0, n, StandardCharsets.UTF_8);
        if (hasControl) {
            text = replaceControls(text);
        }
        if (dropped > 0) {
            text = text + " [truncated " + dropped + " bytes]";
        }
        length = 0;
        dropped = 0;
        hasControl = false;
        sink.accept(text);
    }

    private static String replaceControls(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out.append(isControl(c) ? '\uFFFD' : c);
        }
        return out.toString();
    }

    /** C0 controls but tab, DEL, C1 controls, and the bidi embeddings, overrides and isolates. */
    static boolean isControl(char c) {
        return (c < 0x20 && c != '\t')
                || (c >= 0x7f && c <= 0x9f)
                || (c >= '\u202A' && c <= '\u202E')
                || (c >= '\u2066' && c <= '\u2069');
    }
}
