package org.distarch.output;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Cuts a byte stream into text lines, whatever the bytes are: invalid UTF-8 becomes U+FFFD, control
 * characters (other than tab) become U+FFFD so that a worker cannot drive the operator's terminal, a
 * trailing CR is dropped, and a line longer than {@code maxLineBytes} is cut there and marked
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
                if ((b >= 0 && b < 0x20 && b != '\t') || b == 0x7f) {
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
            out.append((c < 0x20 && c != '\t') || c == 0x7f ? '\uFFFD' : c);
        }
        return out.toString();
    }
}
