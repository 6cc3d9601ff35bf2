package org.distarch.remote.relay;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import org.distarch.remote.protocol.RelayCodec;
import org.distarch.remote.protocol.RelayFrame;

/**
 * Writes frames to the SSH session from one thread: producers queue encoded lines (bounded: a flooding
 * worker waits, as it would for a local master), the writer batches them and flushes when the queue is empty.
 */
final class FrameWriter implements AutoCloseable {

    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(8192);
    private final OutputStream out;
    private final Thread thread;
    private volatile boolean broken;

    FrameWriter(OutputStream out) {
        this.out = out;
        this.thread = new Thread(this::drain, "distarch-relay-out");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Queues a frame; waits while the queue is full (a flooding worker then slows down, as it would locally). */
    void write(RelayFrame frame) {
        if (broken) {
            return;
        }
        try {
            queue.put(RelayCodec.encode(frame));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until everything written so far is out (or the session broke), then ends the writer thread. */
    @Override
    public void close() {
        CountDownLatch done = new CountDownLatch(1);
        try {
            queue.put(done);
            done.await();
            queue.put(STOP);
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
                batch.add(queue.take());
                queue.drainTo(batch);
                List<CountDownLatch> latches = new ArrayList<>();
                boolean stop = false;
                for (Object item : batch) {
                    if (item == STOP) {
                        stop = true;
                    } else if (item instanceof String line) {
                        text.append(line).append('\n');
                        if (text.length() > 60_000) {
                            send(text);
                        }
                    } else {
                        latches.add((CountDownLatch) item);
                    }
                }
                batch.clear();
                send(text);
                if (queue.isEmpty() || !latches.isEmpty()) {
                    flush();
                }
                latches.forEach(CountDownLatch::countDown);
                if (stop) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void send(StringBuilder text) {
        if (text.length() > 0 && !broken) {
            try {
                out.write(text.toString().getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                broken = true; // the session is gone; the heartbeat check stops the workers
            }
        }
        text.setLength(0);
    }

    private void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            broken = true;
        }
    }
}
