package org.distarch.output;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The hand-over between the threads that produce log lines (one per worker stream) and the one thread that
 * writes them: a bounded FIFO whose consumer takes <em>everything</em> queued in one step. A producer's
 * {@link #put} is an append under a lock that the consumer holds only to swap two deques, and it wakes the
 * consumer only when the consumer sleeps; so a flood costs a few nanoseconds per line and one wake-up per
 * batch, while a quiet log is written at once. Order is the order of the appends, across producers too.
 *
 * <p>Capacity counts items: {@link #put} and {@link #putAll} wait while the queue holds {@code capacity} (that
 * wait is the back-pressure that slows a flooding worker), {@link #offer} never waits and refuses beyond
 * {@code capacity + overflow}, {@link #add} always appends (for the few control items: flush, reopen, stop).
 */
public final class BatchQueue {

    private static final int SPINS = 64;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private final int capacity;
    private final int overflow;
    private ArrayDeque<Object> items;
    private ArrayDeque<Object> spare;
    private boolean consumerWaiting;
    private int producersWaiting;

    public BatchQueue(int capacity, int overflow) {
        this.capacity = capacity;
        this.overflow = overflow;
        this.items = new ArrayDeque<>(capacity);
        this.spare = new ArrayDeque<>(capacity);
    }

    /**
     * Appends {@code item}, first waiting while the queue is full. Interrupted while waiting, it still appends
     * (nothing is lost), keeps the interrupt and returns.
     */
    public void put(Object item) {
        lock();
        try {
            boolean interrupted = awaitRoom();
            append(item);
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Appends {@code batch} in order, first waiting while the queue is full (as {@link #put}), with one wake-up of
     * the consumer for all of it; so the queue may hold up to {@code capacity} plus one batch. Interrupted while
     * waiting, it still appends, keeps the interrupt and returns.
     */
    public void putAll(List<?> batch) {
        if (batch.isEmpty()) {
            return;
        }
        lock();
        try {
            boolean interrupted = awaitRoom();
            items.addAll(batch);
            wakeConsumer();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Under the lock: waits while the queue is full; whether it was interrupted (it stops waiting then). */
    private boolean awaitRoom() {
        boolean interrupted = false;
        while (items.size() >= capacity && !interrupted) {
            producersWaiting++;
            try {
                notFull.await();
            } catch (InterruptedException e) {
                interrupted = true;
            } finally {
                producersWaiting--;
            }
        }
        return interrupted;
    }

    /** Appends {@code item} unless the queue holds {@code capacity + overflow} already; never waits. */
    public boolean offer(Object item) {
        lock();
        try {
            if (items.size() >= capacity + overflow) {
                return false;
            }
            append(item);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Appends {@code item} whatever the queue holds (a control item), never waits. */
    public void add(Object item) {
        lock();
        try {
            append(item);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes the lock, first spinning briefly: it is held for a few nanoseconds at a time, so a short spin
     * usually gets it where parking would cost the other thread a wake-up (a system call) per collision.
     */
    private void lock() {
        for (int i = 0; i < SPINS; i++) {
            if (lock.tryLock()) {
                return;
            }
            Thread.onSpinWait();
        }
        lock.lock();
    }

    private void append(Object item) {
        items.addLast(item);
        wakeConsumer();
    }

    /** Under the lock, after an append: the consumer is woken only if it sleeps. */
    private void wakeConsumer() {
        if (consumerWaiting) {
            consumerWaiting = false;
            notEmpty.signal();
        }
    }

    /**
     * The consumer's side: waits until something is queued, then takes all of it, oldest first. The returned
     * deque is the consumer's until its next call (it is emptied and reused then).
     */
    public ArrayDeque<Object> takeAll() throws InterruptedException {
        ArrayDeque<Object> mine = spare;
        mine.clear();
        lock();
        try {
            while (items.isEmpty()) {
                consumerWaiting = true;
                notEmpty.await();
            }
            consumerWaiting = false;
            spare = items;
            items = mine;
            if (producersWaiting > 0) {
                notFull.signalAll();
            }
            return spare;
        } finally {
            lock.unlock();
        }
    }

    /** Whether nothing is queued now (the consumer flushes its stream when it has caught up). */
    public boolean isEmpty() {
        lock();
        try {
            return items.isEmpty();
        } finally {
            lock.unlock();
        }
    }
}
