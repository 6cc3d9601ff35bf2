package org.distarch.logs;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * New lines of the selected processes, as they are added (from {@link ProcessLogs#follow}). The lines wait in a
 * bounded queue until {@link #poll}ed; when it is full, newer lines are dropped and counted, so a slow reader
 * never holds up the processes or the master. The wakeup runs when a line arrives after the queue was
 * drained: a reader sleeps (in a selector, on a latch) until then, and polls no more than it must.
 */
public final class Subscription implements AutoCloseable {

    final LogSelector selector;
    private final ProcessLogs store;
    private final int capacity;
    private final Runnable wakeup;
    private final AtomicBoolean wake = new AtomicBoolean();
    /** Guarded by the store's lock. */
    private final ArrayDeque<LogLine> queue = new ArrayDeque<>();
    private long dropped;
    private boolean drained = true;

    Subscription(ProcessLogs store, LogSelector selector, int capacity, Runnable wakeup) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a subscription holds at least one line");
        }
        this.store = store;
        this.selector = selector;
        this.capacity = capacity;
        this.wakeup = wakeup;
    }

    /** Up to {@code max} waiting lines, oldest first (an empty list when none wait). */
    public List<LogLine> poll(int max) {
        return store.drain(this, max);
    }

    /** Lines dropped so far because the queue was full. */
    public long dropped() {
        return store.dropped(this);
    }

    /** Stops the subscription; lines still queued are dropped. */
    @Override
    public void close() {
        store.unsubscribe(this);
    }

    void offerLocked(LogLine line) {
        if (queue.size() >= capacity) {
            dropped++;
            return;
        }
        queue.addLast(line);
        if (drained) {
            drained = false;
            wake.set(true);
        }
    }

    List<LogLine> drainLocked(int max) {
        List<LogLine> out = new ArrayList<>(Math.min(max, queue.size()));
        while (out.size() < max && !queue.isEmpty()) {
            out.add(queue.removeFirst());
        }
        if (queue.isEmpty()) {
            drained = true;
        }
        return out;
    }

    long droppedLocked() {
        return dropped;
    }

    void wakeIfNeeded() {
        if (wake.get() && wake.compareAndSet(true, false)) {
            wakeup.run();
        }
    }
}
