package org.distarch.event.bus;

import org.distarch.event.DistarchEvent;
import org.distarch.event.DistarchListener;
import org.distarch.event.ListenerStats;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * One listener's bounded queue and the thread that delivers it, in order. {@link #offer} never blocks: when
 * the queue is full the event is dropped and counted. Every event offered ends {@code settled}: delivered
 * (the listener returned or threw) or dropped; {@link #awaitSettled} waits for a count of them.
 */
final class ListenerQueue {

    private static final Object STOP = new Object();

    private final DistarchListener listener;
    private final int capacity;
    private final Predicate<? super DistarchEvent> accepts;
    /** Events, held bursts ({@link Burst}) and the stop marker; its bound is {@link #waiting}'s. */
    private final LinkedBlockingQueue<Object> queue;
    /** Events queued and not yet taken for delivery: what {@code capacity} bounds. */
    private final AtomicInteger waiting = new AtomicInteger();
    private final BiConsumer<DistarchListener, RuntimeException> onFailure;
    private final Runnable onDropping;
    private final Thread thread;

    private final AtomicLong offered = new AtomicLong();
    private final AtomicLong settled = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicInteger waiters = new AtomicInteger();
    private final Object monitor = new Object();
    private volatile boolean dead;
    private volatile boolean stopping;

    /** Set by the drop reporter while it knows about this queue's unreported drops; see {@link #offer}. */
    volatile boolean reporterAware;
    /** Drop reporter's own bookkeeping (its thread only). */
    long reportedDrops;
    long lastReportNanos;

    /**
     * @param onDropping called (on the publisher's thread, so it must not block) when a drop happens while
     *                   the drop reporter is not aware of pending drops
     */
    ListenerQueue(DistarchListener listener, int capacity, Predicate<? super DistarchEvent> accepts, String threadName,
            BiConsumer<DistarchListener, RuntimeException> onFailure, Runnable onDropping) {
        this.listener = listener;
        this.capacity = capacity;
        this.accepts = accepts;
        this.queue = new LinkedBlockingQueue<>();
        this.onFailure = onFailure;
        this.onDropping = onDropping;
        this.thread = new Thread(this::deliver, threadName);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    DistarchListener listener() {
        return listener;
    }

    Thread thread() {
        return thread;
    }

    long dropped() {
        return dropped.get();
    }

    ListenerStats stats() {
        return new ListenerStats(listener.getClass().getName(), capacity, waiting.get(), delivered.get(),
                dropped.get());
    }

    /** Never blocks. */
    void offer(DistarchEvent event) {
        if (accepts != null && !accepted(event)) {
            return;
        }
        offered.incrementAndGet();
        if (dead || reserve(1) == 0) {
            drop();
            return;
        }
        queue.offer(event);
    }

    /**
     * Never blocks: as {@link #offer} of each in turn, but queued as one element, so that a listener that keeps
     * up is woken once for them all rather than once per event (it would empty its queue between two offers).
     */
    void offerAll(List<DistarchEvent> events) {
        List<DistarchEvent> taken = new ArrayList<>(events.size());
        for (DistarchEvent event : events) {
            if (accepts == null || accepted(event)) {
                taken.add(event);
            }
        }
        if (taken.isEmpty()) {
            return;
        }
        offered.addAndGet(taken.size());
        int room = dead ? 0 : reserve(taken.size());
        for (int i = room; i < taken.size(); i++) {
            drop(); // the last ones, as offers one by one would have lost them
        }
        if (room == 1) {
            queue.offer(taken.get(0));
        } else if (room > 1) {
            queue.offer(new Burst(room == taken.size() ? taken : taken.subList(0, room)));
        }
    }

    /** Takes up to {@code n} places in the queue; returns how many it got. */
    private int reserve(int n) {
        while (true) {
            int now = waiting.get();
            int got = Math.min(n, capacity - now);
            if (got <= 0) {
                return 0;
            }
            if (waiting.compareAndSet(now, now + got)) {
                return got;
            }
        }
    }

    /** Events queued together by {@link #offerAll}. */
    private record Burst(List<DistarchEvent> events) {}

    private boolean accepted(DistarchEvent event) {
        try {
            return accepts.test(event);
        } catch (RuntimeException e) {
            return true;
        }
    }

    /** How many events were offered so far: the target for {@link #awaitSettled}. */
    long offered() {
        return offered.get();
    }

    /** Waits until {@code target} offered events are delivered or dropped; false if the deadline passed. */
    boolean awaitSettled(long target, long deadlineNanos) throws InterruptedException {
        if (settled.get() >= target || dead) {
            return true;
        }
        waiters.incrementAndGet();
        try {
            synchronized (monitor) {
                while (settled.get() < target && !dead) {
                    long left = deadlineNanos - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    TimeUnit.NANOSECONDS.timedWait(monitor, left);
                }
                return true;
            }
        } finally {
            waiters.decrementAndGet();
        }
    }

    /** Asks the thread to stop after what is queued; nothing offered after this is delivered. */
    void stop() {
        stopping = true;
        queue.offer(STOP); // behind what is queued: delivered if the listener gets to it, else dropped at the end
    }

    /** Last resort when the listener does not return: interrupts its thread. */
    void interrupt() {
        thread.interrupt();
    }

    private void drop() {
        dropped.incrementAndGet();
        settle();
        if (!reporterAware) {
            onDropping.run();
        }
    }

    private void settle() {
        settled.incrementAndGet();
        if (waiters.get() > 0) {
            synchronized (monitor) {
                monitor.notifyAll();
            }
        }
    }

    private void deliver() {
        try {
            while (true) {
                Object item;
                try {
                    item = queue.take();
                } catch (InterruptedException e) {
                    if (stopping) {
                        return;
                    }
                    continue; // the listener interrupted its own thread: not ours to act on
                }
                if (item == STOP) {
                    return;
                }
                if (item instanceof Burst burst) {
                    List<DistarchEvent> events = burst.events();
                    for (int i = 0; i < events.size(); i++) {
                        // As take() between two events: an interrupt is close giving up, or the listener's own.
                        if (i > 0 && Thread.interrupted() && stopping) {
                            for (int j = i; j < events.size(); j++) {
                                waiting.decrementAndGet();
                                drop(); // given up on by close: as if still queued
                            }
                            return;
                        }
                        deliver(events.get(i));
                    }
                } else {
                    deliver((DistarchEvent) item);
                }
            }
        } finally {
            dead = true;
            for (Object stale; (stale = queue.poll()) != null; ) {
                if (stale instanceof Burst burst) {
                    burst.events().forEach(e -> {
                        waiting.decrementAndGet();
                        drop();
                    });
                } else if (stale != STOP) {
                    waiting.decrementAndGet();
                    drop();
                }
            }
            synchronized (monitor) {
                monitor.notifyAll();
            }
        }
    }

    private void deliver(DistarchEvent event) {
        waiting.decrementAndGet();
        try {
            listener.onEvent(event);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            report(e instanceof RuntimeException r ? r : new RuntimeException(e));
        }
        delivered.incrementAndGet();
        settle();
    }

    private void report(RuntimeException e) {
        try {
            onFailure.accept(listener, e);
        } catch (RuntimeException ignored) {
            // reporting a failure must not stop the deliveries
        }
    }
}
