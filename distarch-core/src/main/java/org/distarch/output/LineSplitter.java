package org.distarch.output;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Cuts a byte stream into text lines, whatever the bytes are: invalid UTF-8 becomes U+FFFD, control
 * characters (C0 other than tab, DEL, C1 U+0080–U+009F) and the bidi embeddings, overrides and isolates
 * (U+202A–U+202E, U+2066–U+2069) become U+FFFD so that a worker cannot drive the operator's terminal or
 * reorder what it shows, a trailing CR is dropped, and a line longer than {@code maxLineBytes} is cut there and marked
 * {@code [truncated N bytes]} once its end (or the end of the stream) arrives. Memory stays bounded by
 * {@code maxLineBytes} however long the line is. Not thread-safe: one splitter per stream.
 */
public final class LineSplitter {

    public static final int DEFAULT_MAX_LINE_BYTES = 64 * 1024;

    private final int maxLineBytes;
    private final Consumer<String> sink;
    private final byte[] line;
    private int length;
    private long dropped;
    private boolean hasControl;

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
        for (int i = offset; i < end; i++) {
            byte b = bytes[i];
            if (b == '\n') {
                emit();
            } else if (length < maxLineBytes) {
                // C1 controls are encoded as C2 80..9F and the bidi controls as E2 80 AA..AE / E2 81 A6..A9:
                // flag the lead byte, and let replaceControls look at the decoded characters
                if ((b >= 0 && b < 0x20 && b != '\t') || b == 0x7f || b == (byte) 0xC2 || b == (byte) 0xE2) {
                    hasControl = true;
                }
                line[length++] = b;
            } else {
                dropped++;
            }
        }
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
