package org.distarch.worker;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The worker's stdout and stderr, shared by the application's writes and the protocol's lines.
 *
 * <p>Complete lines are written through at once; a partial line waits in a per-stream buffer
 * until its newline arrives, so that a protocol line ({@link #writeLine}) never lands in the
 * middle of an application line, whatever the threads. A partial line longer than
 * {@link #PENDING_CAP} is written through (the master truncates such lines anyway); a protocol
 * line written meanwhile first ends it with a newline. All writes share one lock.
 *
 * <p>Records when bytes last went out, so that sleeping workers ping only when needed.
 */
final class LineSyncOutput {

    /** Largest partial line kept back, in bytes: the master's line cap. */
    public static final int PENDING_CAP = 64 * 1024;

    private final Object lock = new Object();
    private final LongSupplier nanoClock;
    private final LineStream stdout;
    private final LineStream stderr;
    private volatile long lastOutputNanos;

    public LineSyncOutput(OutputStream stdout, OutputStream stderr, LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        this.stdout = new LineStream(stdout);
        this.stderr = new LineStream(stderr);
        // nothing written yet: as if the last output were long ago
        this.lastOutputNanos = nanoClock.getAsLong() - TimeUnit.DAYS.toNanos(1);
    }

    /** The application's stdout: bytes, line-synchronized. */
    public OutputStream stdout() {
        return stdout;
    }

    /** The application's stderr: bytes, line-synchronized. */
    public OutputStream stderr() {
        return stderr;
    }

    /** {@link System#nanoTime()}-style time of the last bytes written out. */
    public long lastOutputNanos() {
        return lastOutputNanos;
    }

    /**
     * Writes one whole protocol line on stdout (a newline is added) and flushes. I/O errors are
     * ignored: they mean the master is gone, which stdin reports.
     */
    public void writeLine(String line) {
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        synchronized (lock) {
            try {
                stdout.breakLine();
                stdout.target.write(bytes);
                stdout.target.flush();
                touch();
            } catch (IOException ignored) {
                // master gone
            }
        }
    }

    /** Ends any partial line on both streams with a newline and flushes; errors ignored. */
    public void finish() {
        synchronized (lock) {
            stdout.terminateQuietly();
            stderr.terminateQuietly();
        }
    }

    private void touch() {
        lastOutputNanos = nanoClock.getAsLong();
    }

    private final class LineStream extends OutputStream {
        private final OutputStream target;
        private byte[] pending = new byte[256];
        private int pendingLength;
        /** A partial line longer than the cap was written through and is not ended yet. */
        private boolean midLine;

        LineStream(OutputStream target) {
            this.target = target;
        }

        @Override
        public void write(int b) throws IOException {
            synchronized (lock) {
                if (b == '\n') {
                    flushPending();
                    target.write('\n');
                    midLine = false;
                    touch();
                } else if (midLine) {
                    target.write(b);
                    touch();
                } else {
                    keep(new byte[] {(byte) b}, 0, 1);
                }
            }
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            Objects.checkFromIndexSize(offset, length, bytes.length);
            if (length == 0) {
                return;
            }
            int lastNewline = -1;
            for (int i = offset + length - 1; i >= offset; i--) {
                if (bytes[i] == '\n') {
                    lastNewline = i;
                    break;
                }
            }
            synchronized (lock) {
                int tailStart = offset;
                if (lastNewline >= 0) {
                    flushPending();
                    target.write(bytes, offset, lastNewline - offset + 1);
                    midLine = false;
                    touch();
                    tailStart = lastNewline + 1;
                }
                int tailLength = offset + length - tailStart;
                if (tailLength > 0) {
                    if (midLine) {
                        target.write(bytes, tailStart, tailLength);
                        touch();
                    } else {
                        keep(bytes, tailStart, tailLength);
                    }
                }
            }
        }

        /** Flushes the bytes written so far; a partial line stays back. */
        @Override
        public void flush() throws IOException {
            synchronized (lock) {
                target.flush();
            }
        }

        /** Same as {@link #flush()}: the underlying stream belongs to the process. */
        @Override
        public void close() throws IOException {
            flush();
        }

        private void keep(byte[] bytes, int offset, int length) throws IOException {
            if (pendingLength + length > PENDING_CAP) {
                flushPending();
                target.write(bytes, offset, length);
                midLine = true;
                touch();
                return;
            }
            if (pendingLength + length > pending.length) {
                pending = Arrays.copyOf(pending, Math.max(pending.length * 2, pendingLength + length));
            }
            System.arraycopy(bytes, offset, pending, pendingLength, length);
            pendingLength += length;
        }

        private void flushPending() throws IOException {
            if (pendingLength > 0) {
                target.write(pending, 0, pendingLength);
                pendingLength = 0;
                if (pending.length > 4096) {
                    pending = new byte[256];
                }
            }
        }

        /** Before a protocol line: end a written-through partial line. Held-back bytes stay. */
        private void breakLine() throws IOException {
            if (midLine) {
                target.write('\n');
                midLine = false;
            }
        }

        private void terminateQuietly() {
            try {
                if (pendingLength > 0 || midLine) {
                    flushPending();
                    target.write('\n');
                    midLine = false;
                    touch();
                }
                target.flush();
            } catch (IOException ignored) {
                // master gone
            }
        }
    }
}
