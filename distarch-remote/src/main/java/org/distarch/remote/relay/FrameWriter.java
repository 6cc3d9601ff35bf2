package org.distarch.remote.relay;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.distarch.launch.WorkerStream;
import org.distarch.remote.protocol.RelayCodec;
import org.distarch.remote.protocol.RelayFrame;

/**
 * Writes frames to the SSH session from one thread. Producers queue frames; the queue is bounded by the
 * characters of the lines it holds ({@link #QUEUE_CHARS}), not by a count, so that a flooding worker waits
 * (as it would for a local master) and the relay's small heap holds at most about that much output, however
 * long the lines. The writer takes everything queued at once and, when the master speaks version 4, turns
 * each run of consecutive lines of one process and stream into one {@code lines} frame, and writes and
 * flushes the lot: a quiet process's line goes out at once, a busy one's go out many to a frame (they queue
 * up while the previous batch is written).
 */
final class FrameWriter implements AutoCloseable {

    /** Output held for the master at most (about 2 MiB of heap as Latin-1 strings, 4 as UTF-16). */
    static final int QUEUE_CHARS = 1 << 20;
    /**
     * Raw characters per {@code lines} frame at most: escaped JSON is at most 6 times longer, which keeps a
     * frame well under the codec's 4 MiB line limit.
     */
    static final int BATCH_CHARS = 512 * 1024;
    private static final int WRITE_CHUNK = 64 * 1024;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notFull = lock.newCondition();
    private final Condition notEmpty = lock.newCondition();
    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    private long queuedChars;
    private final OutputStream out;
    private final boolean batching;
    private final Thread thread;
    private volatile boolean broken;

    /** @param batching whether the master reads {@code lines} frames (protocol version 4) */
    FrameWriter(OutputStream out, boolean batching) {
        this.out = out;
        this.batching = batching;
        this.thread = new Thread(this::drain, "distarch-relay-out");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Queues a frame; waits while the queue is full (a flooding worker then slows down, as it would locally). */
    void write(RelayFrame frame) {
        if (broken) {
            return;
        }
        enqueue(frame, frame instanceof RelayFrame.Line l ? l.text().length() : 0);
    }

    private void enqueue(Object item, int chars) {
        lock.lock();
        try {
            // An empty queue takes any line, however long, so that nothing waits forever.
            while (!queue.isEmpty() && queuedChars + chars > QUEUE_CHARS && !broken) {
                notFull.await();
            }
            queue.add(item);
            queuedChars += chars;
            notEmpty.signal();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until everything written so far is out (or the session broke), then ends the writer thread. */
    @Override
    public void close() {
        CountDownLatch done = new CountDownLatch(1);
        try {
            enqueue(done, 0);
            done.await();
            enqueue(STOP, 0);
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final Object STOP = new Object();

    private void drain() {
        List<Object> batch = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        try {
            while (true) {
                take(batch);
                List<CountDownLatch> latches = new ArrayList<>();
                boolean stop = false;
                for (int i = 0; i < batch.size(); i++) {
                    Object item = batch.get(i);
                    if (item == STOP) {
                        stop = true;
                    } else if (item instanceof CountDownLatch latch) {
                        latches.add(latch);
                    } else if (batching && item instanceof RelayFrame.Line first) {
                        i = lines(batch, i, first, text) - 1;
                    } else {
                        text.append(RelayCodec.encode((RelayFrame) item)).append('\n');
                    }
                    if (text.length() > WRITE_CHUNK) {
                        send(text);
                    }
                }
                batch.clear();
                send(text);
                // Every batch is one write anyway: a flush costs nothing more, and a trickle that keeps the queue
                // from ever being empty at this point must not sit in a buffer.
                flush();
                latches.forEach(CountDownLatch::countDown);
                if (stop) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Takes everything queued, waiting for at least one item. */
    private void take(List<Object> batch) throws InterruptedException {
        lock.lock();
        try {
            while (queue.isEmpty()) {
                notEmpty.await();
            }
            batch.addAll(queue);
            queue.clear();
            queuedChars = 0;
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Encodes the run of lines of {@code first}'s process and stream that starts at {@code from} as one frame
     * ({@code line} when it is a single line); returns the index after the run.
     */
    private static int lines(List<Object> batch, int from, RelayFrame.Line first, StringBuilder text) {
        int end = from + 1;
        long chars = first.text().length();
        while (end < batch.size() && batch.get(end) instanceof RelayFrame.Line next && next.handle() == first.handle()
                && next.stream() == first.stream() && chars + next.text().length() <= BATCH_CHARS) {
            chars += next.text().length();
            end++;
        }
        if (end == from + 1) {
            text.append(RelayCodec.encode(first)).append('\n');
        } else {
            List<String> texts = new ArrayList<>(end - from);
            for (int i = from; i < end; i++) {
                texts.add(((RelayFrame.Line) batch.get(i)).text());
            }
            WorkerStream stream = first.stream();
            text.append(RelayCodec.encode(new RelayFrame.Lines(first.handle(), texts, stream))).append('\n');
        }
        return end;
    }

    private void send(StringBuilder text) {
        if (text.length() > 0 && !broken) {
            try {
                out.write(text.toString().getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                broken(); // the session is gone; the heartbeat check stops the workers
            }
        }
        text.setLength(0);
    }

    private void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            broken();
        }
    }

    private void broken() {
        broken = true;
        lock.lock();
        try {
            notFull.signalAll(); // producers waiting for room drop their frames instead
        } finally {
            lock.unlock();
        }
    }
}
