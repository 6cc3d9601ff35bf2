package org.distarch.event.bus;

import org.distarch.event.DistarchEvent;
import org.distarch.event.DistarchListener;
import org.distarch.event.ListenerStats;
import org.distarch.event.QueueEvent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * Delivers events to listeners, each listener from its own bounded queue on its own thread
 * ({@code distarch-events-1}, {@code -2}, ... in subscription order), in publication order. A slow or
 * blocked listener lags alone: {@link #publish} never blocks and never waits for a listener, other listeners
 * go on, and memory stays bounded: when a listener's queue is full, new events for it are dropped and
 * counted ({@link #stats()}). The notice callback hears one line when a listener starts dropping, then at
 * most one a minute with the count (from the thread {@code distarch-events-notices}). A listener that
 * throws is reported to the failure callback and keeps receiving events.
 *
 * <p>One bus per master, injected, never static. Listeners are few (the log, the admin page, tests).
 */
public final class EventBus implements AutoCloseable {

    /** Queue capacity of {@link #subscribe(DistarchListener)}: about a minute of a busy 100-process fleet. */
    public static final int DEFAULT_CAPACITY = DistarchListener.DEFAULT_QUEUE_CAPACITY;

    private static final Duration NOTICE_INTERVAL = Duration.ofMinutes(1);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final List<ListenerQueue> queues = new CopyOnWriteArrayList<>();
    private final Set<Thread> threads = new CopyOnWriteArraySet<>();
    private final BiConsumer<DistarchListener, RuntimeException> onListenerFailure;
    private final BiConsumer<DistarchListener, String> onNotice;
    private final DropReporter reporter;
    private final Duration closeTimeout;
    private final Object lifecycle = new Object();
    private volatile boolean closed;

    /**
     * Failures and notices both go to {@code onListenerFailure}; a notice comes as an
     * {@link Notice} whose {@code toString()} is just the notice's text.
     */
    public EventBus(BiConsumer<DistarchListener, RuntimeException> onListenerFailure) {
        this(onListenerFailure, (listener, notice) -> onListenerFailure.accept(listener,
                new Notice(notice)));
    }

    /**
     * @param onListenerFailure hears a listener's exception, on that listener's thread
     * @param onNotice          hears that a listener lags and loses events, on the notices thread
     */
    public EventBus(BiConsumer<DistarchListener, RuntimeException> onListenerFailure,
            BiConsumer<DistarchListener, String> onNotice) {
        this(onListenerFailure, onNotice, NOTICE_INTERVAL, CLOSE_TIMEOUT);
    }

    EventBus(BiConsumer<DistarchListener, RuntimeException> onListenerFailure,
            BiConsumer<DistarchListener, String> onNotice, Duration noticeInterval, Duration closeTimeout) {
        this.onListenerFailure = onListenerFailure;
        this.onNotice = onNotice;
        this.closeTimeout = closeTimeout;
        this.reporter = new DropReporter(queues, onNotice, noticeInterval, "distarch-events-notices");
        threads.add(reporter.thread());
    }

    /** Subscribes with a queue of {@link #DEFAULT_CAPACITY} events. */
    public void subscribe(DistarchListener listener) {
        subscribe(listener, DEFAULT_CAPACITY);
    }

    /**
     * The listener hears every event published from now on, unless more than {@code capacity} wait for it.
     *
     * @throws IllegalStateException once the bus is closed
     */
    public void subscribe(DistarchListener listener, int capacity) {
        subscribe(listener, capacity, null);
    }

    /**
     * As {@link #subscribe(DistarchListener, int)}, for the events {@code accepts} only: the others are
     * neither queued nor counted, so they cannot crowd out the events the listener is there for (the log
     * needs no queue events). {@code accepts} runs on the publisher's thread: it must be quick and must not
     * throw (an event it throws on is queued).
     */
    public void subscribe(DistarchListener listener, int capacity, Predicate<? super DistarchEvent> accepts) {
        if (listener == null) {
            throw new IllegalArgumentException("no listener");
        }
        if (capacity < 1) {
            throw new IllegalArgumentException("a listener's queue capacity must be at least 1, not " + capacity);
        }
        synchronized (lifecycle) {
            if (closed) {
                throw new IllegalStateException("event bus closed");
            }
            ListenerQueue q = new ListenerQueue(listener, capacity, accepts, "distarch-events-" + (queues.size() + 1),
                    onListenerFailure, reporter::wake);
            threads.add(q.thread());
            queues.add(q);
            q.start();
        }
    }

    /**
     * Never blocks: queues the event for each listener, or drops it for a listener whose queue is full. On a
     * thread inside {@link #holding}, the event is queued when that returns.
     */
    public void publish(DistarchEvent event) {
        if (closed || event == null) {
            return;
        }
        HeldEvents held = HELD.get();
        if (held.depth > 0) {
            if (mayWait(event)) {
                held.add(this, event);
                return;
            }
            held.release(); // what came before goes first, and this one at once: see mayWait
        }
        for (ListenerQueue q : queues) {
            q.offer(event);
        }
    }

    /**
     * Runs {@code burst} with the queue item events this thread publishes in it, on any bus, kept back and
     * queued together when it returns (or throws), in the order published. So a burst of them (the item lines
     * of one read from a queue process) wakes each listener's thread about once instead of once per event: a
     * listener that keeps up would otherwise empty its queue and sleep between two events, and each event
     * would cost a hand-over between threads. Any other event published in the burst first releases what is
     * held, then goes at once (see {@link #mayWait}). Only for a burst that ends soon: its events reach nobody
     * before that. Nested calls join the outer one.
     */
    public static void holding(Runnable burst) {
        HeldEvents held = HELD.get();
        held.depth++;
        try {
            burst.run();
        } finally {
            if (--held.depth == 0) {
                held.release();
            }
        }
    }

    /**
     * Whether an event may wait for the end of a burst: the queue item events, the many events of a burst
     * that cause nothing in the master. Any other may make the master act (a feeder's {@code listening}
     * starts its consumers, on the supervision thread), and the events of that action must not reach the
     * listeners before their cause.
     */
    private static boolean mayWait(DistarchEvent event) {
        return event instanceof QueueEvent.ItemReceived || event instanceof QueueEvent.ItemHandled
                || event instanceof QueueEvent.ItemFailed;
    }

    /** Queues a run of held events for each listener, in order. */
    private void publishHeld(List<DistarchEvent> events) {
        if (closed) {
            return;
        }
        for (ListenerQueue q : queues) {
            q.offerAll(events);
        }
    }

    private static final ThreadLocal<HeldEvents> HELD = ThreadLocal.withInitial(HeldEvents::new);

    /** One thread's events kept back by {@link #holding}, with the bus each was published on. */
    private static final class HeldEvents {
        int depth;
        private final List<EventBus> buses = new ArrayList<>();
        private final List<DistarchEvent> events = new ArrayList<>();

        void add(EventBus bus, DistarchEvent event) {
            buses.add(bus);
            events.add(event);
        }

        void release() {
            int n = events.size();
            try {
                for (int from = 0; from < n; ) {
                    EventBus bus = buses.get(from);
                    int to = from + 1;
                    while (to < n && buses.get(to) == bus) {
                        to++;
                    }
                    bus.publishHeld(events.subList(from, to));
                    from = to;
                }
            } finally {
                buses.clear();
                events.clear();
            }
        }
    }

    /** Each listener's queue and counts, in subscription order. */
    public List<ListenerStats> stats() {
        List<ListenerStats> stats = new ArrayList<>();
        queues.forEach(q -> stats.add(q.stats()));
        return List.copyOf(stats);
    }

    /**
     * Waits until every event published before this call has been delivered to every listener, or dropped.
     * Returns at once when called from a listener (it would wait for itself).
     */
    public void drain() {
        drain(null);
    }

    /** As {@link #drain()}, for at most {@code timeout}; false if that was not enough. */
    public boolean drain(Duration timeout) {
        if (threads.contains(Thread.currentThread())) {
            return true;
        }
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        List<ListenerQueue> snapshot = List.copyOf(queues);
        long[] targets = new long[snapshot.size()];
        for (int i = 0; i < targets.length; i++) {
            targets[i] = snapshot.get(i).offered();
        }
        try {
            for (int i = 0; i < targets.length; i++) {
                if (!snapshot.get(i).awaitSettled(targets[i], deadline)) {
                    return false;
                }
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Stops accepting events, drains (for at most 5 s), stops the threads (waiting at most 5 s more for all of
     * them; a listener that still does not return is interrupted) and reports drops not yet reported.
     */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
        }
        drain(closeTimeout);
        queues.forEach(ListenerQueue::stop);
        long deadline = System.nanoTime() + closeTimeout.toNanos();
        try {
            for (ListenerQueue q : queues) {
                if (q.thread() == Thread.currentThread()) {
                    continue; // closed by a listener: its own thread ends when it returns
                }
                q.thread().join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                if (q.thread().isAlive()) {
                    q.interrupt();
                    q.thread().join(1000);
                }
            }
            reporter.stop(System.nanoTime() + closeTimeout.toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (ListenerQueue q : queues) {
            if (q.thread().isAlive() && q.thread() != Thread.currentThread()) {
                onNotice.accept(q.listener(), "still busy " + closeTimeout.toMillis() + " ms after the bus closed");
            }
        }
    }

    /**
     * What the bus has to say about a listener (it loses events, it did not stop), given to the failure
     * callback when there is no notice callback. No stack trace; {@code toString()} is the message.
     */
    public static final class Notice extends RuntimeException {
        Notice(String notice) {
            super(notice, null, false, false);
        }

        @Override
        public String toString() {
            return getMessage();
        }
    }
}
