package org.distarch.event;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.BiConsumer;

/**
 * Delivers events to listeners on one dispatch thread, in publication order. Publishing never blocks
 * (the queue is unbounded; event volume is bounded by the number of processes, since output events are
 * throttled to one per process per second). One bus per master, injected, never static.
 */
public final class EventBus implements AutoCloseable {

    private final List<DistarchListener> listeners = new CopyOnWriteArrayList<>();
    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final BiConsumer<DistarchListener, RuntimeException> onListenerFailure;
    private final Thread dispatcher;
    private static final Object STOP = new Object();
    private volatile boolean closed;

    public EventBus(BiConsumer<DistarchListener, RuntimeException> onListenerFailure) {
        this.onListenerFailure = onListenerFailure;
        this.dispatcher = new Thread(this::dispatch, "distarch-events");
        this.dispatcher.setDaemon(true);
        this.dispatcher.start();
    }

    public void subscribe(DistarchListener listener) {
        listeners.add(listener);
    }

    public void publish(DistarchEvent event) {
        if (!closed) {
            queue.add(event);
        }
    }

    /** Waits until every event published before this call has been delivered. */
    public void drain() {
        if (closed || Thread.currentThread() == dispatcher) {
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
        drain();
        closed = true;
        queue.add(STOP);
        try {
            dispatcher.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void dispatch() {
        try {
            while (true) {
                Object item = queue.take();
                if (item == STOP) {
                    return;
                }
                if (item instanceof CountDownLatch latch) {
                    latch.countDown();
                    continue;
                }
                DistarchEvent event = (DistarchEvent) item;
                for (DistarchListener listener : listeners) {
                    try {
                        listener.onEvent(event);
                    } catch (RuntimeException e) {
                        try {
                            onListenerFailure.accept(listener, e);
                        } catch (RuntimeException ignored) {
                            // reporting the failure must not kill the dispatcher either
                        }
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
