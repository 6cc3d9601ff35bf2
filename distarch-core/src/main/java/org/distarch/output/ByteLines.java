package org.distarch.output;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * A growable byte buffer that formatted log lines are appended to before one write to the stream, so that a
 * batch of lines costs one {@code write} and no intermediate {@code String}. Not thread-safe.
 */
public final class ByteLines {

    private byte[] bytes;
    private int length;

    public ByteLines(int capacity) {
        bytes = new byte[capacity];
    }

    public int length() {
        return length;
    }

    public void put(byte b) {
        if (length == bytes.length) {
            grow(1);
        }
        bytes[length++] = b;
    }

    public void put(byte[] b) {
        put(b, 0, b.length);
    }

    public void put(byte[] b, int offset, int count) {
        if (length + count > bytes.length) {
            grow(count);
        }
        System.arraycopy(b, offset, bytes, length, count);
        length += count;
    }

    /** Appends what {@code other} holds. */
    public void put(ByteLines other) {
        put(other.bytes, 0, other.length);
    }

    /** Forgets the content (for a scratch buffer reused per line). */
    public void reset() {
        length = 0;
    }

    /** A copy of the content. */
    public byte[] toArray() {
        return Arrays.copyOf(bytes, length);
    }

    /** Writes everything out and empties the buffer; a buffer grown by a huge line shrinks back. */
    public void writeTo(OutputStream out, int keepCapacity) throws IOException {
        try {
            if (length > 0) {
                out.write(bytes, 0, length);
            }
        } finally {
            length = 0;
            if (bytes.length > 4 * keepCapacity) {
                bytes = new byte[keepCapacity];
            }
        }
    }

    /** The content as text (for {@link LogFormat#format}). */
    String text() {
        return new String(bytes, 0, length, java.nio.charset.StandardCharsets.UTF_8);
    }

    private void grow(int needed) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + needed));
    }
}
