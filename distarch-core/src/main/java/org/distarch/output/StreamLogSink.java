package org.distarch.output;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.time.ZoneId;
import org.distarch.worker.protocol.LogLevel;

/**
 * Writes log records to a stream from one writer thread. Producers (one reading thread per worker)
 * hand records over through a bounded queue: when a worker floods faster than the stream takes it, the
 * producer waits, its pipe fills and the worker itself slows down; nothing is dropped and memory stays
 * bounded. The writer batches what is queued and flushes only when the queue runs empty, so a flood
 * costs one write per batch rather than one per line, and a quiet log is still written at once.
 *
 * <p>A sink made with an {@link Opener} can be {@linkplain #reopen() reopened} (for log rotation): the
 * writer thread itself switches streams, after everything queued before the request is written to the
 * old one and before anything queued after it, so no line is lost, split or written twice.
 */
public final class StreamLogSink implements LogSink {

    private static final int QUEUE_CAPACITY = 8192;
    /** Records of the supervision thread that found the queue full; beyond this many they are dropped and counted. */
    private static final int OVERFLOW_CAPACITY = 65_536;
    private static final LogRecord FLUSH_MARK = new LogRecord(0, null, null, "", null);
    private static final Object REOPEN = new Object();

    /** Opens the stream a reopenable sink writes to, at start and again at each {@link #reopen()}. */
    @FunctionalInterface
    interface Opener {
        OutputStream open() throws IOException;
    }

    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final java.util.concurrent.ConcurrentLinkedQueue<LogRecord> overflow = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final java.util.concurrent.atomic.AtomicInteger overflowSize = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong dropped = new java.util.concurrent.atomic.AtomicLong();
    private final Opener opener;
    /** Touched only by the writer thread once it runs. */
    private OutputStream out;
    private final LogFormat format;
    private final Thread writer;
    private volatile boolean closed;
    private final Object stop = new Object();

    public StreamLogSink(OutputStream out, LogFormat format) {
        this(out, null, format);
    }

    /** A reopenable sink: {@code opener} gives the first stream now and a new one at each {@link #reopen()}. */
    StreamLogSink(Opener opener, LogFormat format) {
        this(openFirst(opener), opener, format);
    }

    private StreamLogSink(OutputStream out, Opener opener, LogFormat format) {
        this.out = out;
        this.opener = opener;
        this.format = format;
        this.writer = new Thread(this::drain, "distarch-log-writer");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    @Override
    public void write(LogRecord record) {
        if (closed) {
            return;
        }
        put(record);
    }

    @Override
    public void offer(LogRecord record) {
        if (closed || queue.offer(record)) {
            return;
        }
        if (overflowSize.incrementAndGet() > OVERFLOW_CAPACITY) {
            overflowSize.decrementAndGet();
            dropped.incrementAndGet();
            return;
        }
        overflow.add(record);
        // Wakes a writer that emptied both queues between our failed offer and the add (a no-op mark otherwise).
        queue.offer(FLUSH_MARK);
    }

    /** Records {@link #offer} had to drop because both queues were full. */
    public long dropped() {
        return dropped.get();
    }

    /**
     * Asks the writer to close the current stream and open a new one, in order with the records written
     * so far; returns at once. If the new stream cannot be opened, the old one stays in use and an
     * error record says why. Does nothing for a sink made on a plain stream.
     */
    void reopen() {
        if (closed || opener == null) {
            return;
        }
        put(REOPEN);
    }

    @Override
    public void flush() {
        if (closed) {
            return;
        }
        CountDownLatch done = new CountDownLatch(1);
        put(done);
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        flush();
        closed = true;
        put(stop);
        try {
            writer.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void put(Object item) {
        try {
            queue.put(item);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void drain() {
        LogFormat.TimestampCache times = new LogFormat.TimestampCache(ZoneId.systemDefault());
        StringBuilder text = new StringBuilder(64 * 1024);
        List<Object> batch = new ArrayList<>(QUEUE_CAPACITY);
        try {
            while (true) {
                batch.add(queue.take());
                queue.drainTo(batch);
                for (LogRecord r; (r = overflow.poll()) != null; ) {
                    overflowSize.decrementAndGet();
                    batch.add(r);
                }
                List<CountDownLatch> flushed = null;
                boolean stopping = false;
                for (Object item : batch) {
                    if (item instanceof LogRecord r && r != FLUSH_MARK) {
                        format.append(text, r, times);
                        if (text.length() >= 60 * 1024) {
                            writeOut(text);
                        }
                    } else if (item instanceof CountDownLatch latch) {
                        if (flushed == null) {
                            flushed = new ArrayList<>(2);
                        }
                        flushed.add(latch);
                    } else if (item == REOPEN) {
                        writeOut(text);
                        flushStream();
                        switchStream(text, times);
                    } else if (item == stop) {
                        stopping = true;
                    }
                }
                batch.clear();
                writeOut(text);
                if (queue.isEmpty() || flushed != null) {
                    flushStream();
                }
                if (flushed != null) {
                    flushed.forEach(CountDownLatch::countDown);
                }
                if (stopping) {
                    if (opener != null) {
                        closeQuietly(out); // a reopenable sink opened its streams itself
                    }
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static OutputStream openFirst(Opener opener) {
        try {
            return opener.open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** On the writer thread: the new stream replaces the old one, or an error record goes to the old one. */
    private void switchStream(StringBuilder text, LogFormat.TimestampCache times) {
        OutputStream next;
        try {
            next = opener.open();
        } catch (IOException | RuntimeException e) {
            format.append(text, new LogRecord(System.currentTimeMillis(), LogLevel.ERROR, null,
                    "Cannot reopen the log (" + e.getMessage() + "): still writing to the file opened before",
                    null), times);
            writeOut(text);
            return;
        }
        OutputStream old = out;
        out = next;
        closeQuietly(old);
        format.append(text, new LogRecord(System.currentTimeMillis(), LogLevel.INFO, null, "Reopened the log", null),
                times);
    }

    private static void closeQuietly(OutputStream stream) {
        try {
            stream.close();
        } catch (IOException e) {
            // The file is done with either way.
        }
    }

    private void writeOut(StringBuilder text) {
        if (text.length() == 0) {
            return;
        }
        try {
            out.write(text.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // A closed stdout (the reader of our log went away) must not stop supervision.
        }
        text.setLength(0);
    }

    private void flushStream() {
        try {
            out.flush();
        } catch (IOException e) {
            // see writeOut
        }
    }
}
