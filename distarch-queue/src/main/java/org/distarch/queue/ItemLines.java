package org.distarch.queue;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.distarch.worker.protocol.WorkerLine.QueueItem;
import org.distarch.worker.protocol.WorkerLineCodec;

/**
 * A queue process's item lines for the master (docs/worker-protocol.md, {@code @@distarch item}), kept back
 * for at most {@link #LINGER_MILLIS} and written together: one write (one system call, one flush, one read
 * and one burst of events in the master) for all the items of that time, instead of one per item. The format
 * is unchanged: one line per item. A daemon thread writes what is due; it waits, never polls, while nothing
 * is kept back, so an idle process costs nothing. {@link #close()} writes the rest. Thread-safe.
 */
final class ItemLines implements AutoCloseable {

    /** How long a line may wait for others: small beside any listener's need, long beside an item's time. */
    static final long LINGER_MILLIS = 5;
    /** Written at once past this many characters. */
    private static final int MAX_PENDING = 64 * 1024;

    private final PrintStream out;
    private final long lingerNanos;
    private final Object writing = new Object();
    private final Thread writer;
    private StringBuilder pending = new StringBuilder();
    private long firstAt;
    private boolean closed;

    ItemLines(PrintStream out) {
        this(out, TimeUnit.MILLISECONDS.toNanos(LINGER_MILLIS));
    }

    ItemLines(PrintStream out, long lingerNanos) {
        this.out = out;
        this.lingerNanos = lingerNanos;
        this.writer = new Thread(this::writeWhenDue, "distarch-item-lines");
        writer.setDaemon(true);
        writer.start();
    }

    void add(QueueItem item) {
        String line = WorkerLineCodec.item(item);
        boolean full;
        synchronized (this) {
            if (pending.length() == 0) {
                firstAt = System.nanoTime();
                notifyAll(); // the writer waits for a first line, then for its time
            }
            pending.append(line).append('\n');
            full = pending.length() >= MAX_PENDING;
        }
        if (full) {
            flush();
        }
    }

    /** Writes what is kept back now. */
    void flush() {
        synchronized (writing) { // one batch at a time, in order
            StringBuilder batch;
            synchronized (this) {
                if (pending.length() == 0) {
                    return;
                }
                batch = pending;
                pending = new StringBuilder(Math.min(MAX_PENDING, batch.capacity()));
            }
            byte[] bytes = batch.toString().getBytes(StandardCharsets.UTF_8);
            out.write(bytes, 0, bytes.length);
            out.flush();
        }
    }

    /** Writes the rest and stops the writer. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        flush();
    }

    private void writeWhenDue() {
        try {
            while (true) {
                synchronized (this) {
                    while (pending.length() == 0 && !closed) {
                        wait();
                    }
                    if (closed) {
                        return;
                    }
                    long left;
                    while ((left = firstAt + lingerNanos - System.nanoTime()) > 0 && pending.length() > 0 && !closed) {
                        TimeUnit.NANOSECONDS.timedWait(this, left);
                    }
                }
                flush();
            }
        } catch (InterruptedException e) {
            flush();
        }
    }
}
