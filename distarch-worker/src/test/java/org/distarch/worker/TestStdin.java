package org.distarch.worker;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;

/** A worker's stdin driven by a test: {@link #send} lines as the master would, {@link #close} for EOF. */
final class TestStdin extends InputStream {

    private static final int EOF = -1;
    private final LinkedBlockingQueue<Integer> bytes = new LinkedBlockingQueue<>();

    void send(String line) {
        for (byte b : (line + "\n").getBytes(StandardCharsets.UTF_8)) {
            bytes.add(b & 0xff);
        }
    }

    @Override
    public void close() {
        bytes.add(EOF);
    }

    /** Returns what is there once at least one byte is (the default would block for a full buffer). */
    @Override
    public int read(byte[] buffer, int offset, int length) {
        if (length == 0) {
            return 0;
        }
        int first = read();
        if (first == EOF) {
            return EOF;
        }
        buffer[offset] = (byte) first;
        int count = 1;
        while (count < length) {
            Integer next = bytes.peek();
            if (next == null || next == EOF) {
                break;
            }
            buffer[offset + count++] = (byte) (int) bytes.poll();
        }
        return count;
    }

    @Override
    public int read() {
        try {
            int b = bytes.take();
            if (b == EOF) {
                bytes.add(EOF);
            }
            return b;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return EOF;
        }
    }
}
