package org.distarch.output;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.distarch.worker.protocol.LogLevel;

/**
 * Writes log records to a stream from one writer thread. Producers (the threads that read workers' output)
 * hand records over through a bounded {@link BatchQueue}: when a worker floods faster than the stream takes
 * it, the producer waits, its pipe fills and the worker itself slows down; nothing is dropped and memory stays
 * bounded. Each time the writer wakes it takes everything queued, formats it into one byte buffer
 * ({@link LogFormat}, no {@code String} per line), writes it in pieces of about 64 KiB and flushes once, when
 * it has caught up; so a flood costs one write per batch rather than one per line, and a quiet log is still
 * written at once. Records are written in the order they were handed over.
 *
 * <p>A sink made with an {@link Opener} can be {@linkplain #reopen() reopened} (for log rotation): the
 * writer thread itself switches streams, after everything queued before the request is written to the
 * old one and before anything queued after it, so no line is lost, split or written twice.
 */
public final class StreamLogSink implements LogSink {

    private static final int QUEUE_CAPACITY = 4_096;
    /** Records of the supervision thread that found the queue full; beyond this many they are dropped and counted. */
    private static final int OVERFLOW_CAPACITY = 65_536;
    private static final int WRITE_BYTES = 64 * 1024;
    private static final Object REOPEN = new Object();

    /** Opens the stream a reopenable sink writes to, at start and again at each {@link #reopen()}. */
    @FunctionalInterface
    interface Opener {
        OutputStream open() throws IOException;
    }

    private final BatchQueue queue = new BatchQueue(QUEUE_CAPACITY, OVERFLOW_CAPACITY);
    private final AtomicLong dropped = new AtomicLong();
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
        queue.put(record);
    }

    @Override
    public void output(List<LogRecord> records) {
        if (closed) {
            return;
        }
        queue.putAll(records);
    }

    @Override
    public void offer(LogRecord record) {
        if (closed || queue.offer(record)) {
            return;
        }
        dropped.incrementAndGet();
    }

    /** Records {@link #offer} had to drop because the queue and its overflow were full. */
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
        queue.add(REOPEN);
    }

    @Override
    public void flush() {
        if (closed) {
            return;
        }
        CountDownLatch done = new CountDownLatch(1);
        queue.add(done);
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
        queue.add(stop);
        try {
            writer.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void drain() {
        LogFormat.Cache cache = new LogFormat.Cache(ZoneId.systemDefault());
        ByteLines bytes = new ByteLines(WRITE_BYTES + 8 * 1024);
        try {
            while (true) {
                ArrayDeque<Object> batch = queue.takeAll();
                List<CountDownLatch> flushed = null;
                boolean stopping = false;
                for (Object item; (item = batch.pollFirst()) != null; ) {
                    if (item instanceof LogRecord r) {
                        format.write(bytes, r, cache);
                        if (bytes.length() >= WRITE_BYTES) {
                            writeOut(bytes);
                        }
                    } else if (item instanceof CountDownLatch latch) {
                        if (flushed == null) {
                            flushed = new ArrayList<>(2);
                        }
                        flushed.add(latch);
                    } else if (item == REOPEN) {
                        writeOut(bytes);
                        flushStream();
                        switchStream(bytes, cache);
                    } else if (item == stop) {
                        stopping = true;
                    }
                }
                writeOut(bytes);
                if (flushed != null || queue.isEmpty()) {
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
    private void switchStream(ByteLines bytes, LogFormat.Cache cache) {
        OutputStream next;
        try {
            next = opener.open();
        } catch (IOException | RuntimeException e) {
            format.write(bytes, new LogRecord(System.currentTimeMillis(), LogLevel.ERROR, null,
                    "Cannot reopen the log (" + e.getMessage() + "): still writing to the file opened before",
                    null), cache);
            writeOut(bytes);
            return;
        }
        OutputStream old = out;
        out = next;
        closeQuietly(old);
        format.write(bytes, new LogRecord(System.currentTimeMillis(), LogLevel.INFO, null, "Reopened the log", null),
                cache);
    }

    private static void closeQuietly(OutputStream stream) {
        try {
            stream.close();
        } catch (IOException e) {
            // The file is done with either way.
        }
    }

    private void writeOut(ByteLines bytes) {
        try {
            bytes.writeTo(out, WRITE_BYTES + 8 * 1024);
        } catch (IOException e) {
            // A closed stdout (the reader of our log went away) must not stop supervision.
        }
    }

    private void flushStream() {
        try {
            out.flush();
        } catch (IOException e) {
            // see writeOut
        }
    }
}
