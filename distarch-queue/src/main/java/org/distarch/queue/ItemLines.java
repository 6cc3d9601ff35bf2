package org.distarch.queue;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.distarch.worker.protocol.WorkerLine.QueueItem;
import org.distarch.worker.protocol.WorkerLineCodec;

/**
 * A queue process's item lines for the master (docs/worker-protocol.md, {@code @@distarch item}), kept back
 * and written together: the feeder writes those of one loop turn, a consumer those of one wake-up, in one
 * write (one system call, one flush) instead of one per item. Used by one thread.
 */
final class ItemLines {

    /** Written at once past this many characters, whatever the caller's rhythm. */
    private static final int MAX_PENDING = 64 * 1024;

    private final PrintStream out;
    private final StringBuilder pending = new StringBuilder();

    ItemLines(PrintStream out) {
        this.out = out;
    }

    void add(QueueItem item) {
        pending.append(WorkerLineCodec.item(item)).append('\n');
        if (pending.length() >= MAX_PENDING) {
            flush();
        }
    }

    /** Writes what is kept back, if anything. */
    void flush() {
        if (pending.length() > 0) {
            byte[] bytes = pending.toString().getBytes(StandardCharsets.UTF_8);
            pending.setLength(0);
            out.write(bytes, 0, bytes.length);
            out.flush();
        }
    }
}
