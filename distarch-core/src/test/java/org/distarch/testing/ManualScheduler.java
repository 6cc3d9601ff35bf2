package org.distarch.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.Queue;
import org.distarch.supervise.Scheduler;

/** A {@link Scheduler} on virtual time: nothing runs until the test calls {@link #runReady} or {@link #advance}. */
public final class ManualScheduler implements Scheduler {

    private record Timer(long dueMillis, long seq, Runnable task, boolean[] cancelled) {}

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final Queue<Runnable> ready = new ArrayDeque<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>(
            Comparator.comparingLong(Timer::dueMillis).thenComparingLong(Timer::seq));
    private long seq;

    @Override
    public Clock clock() {
        return clock;
    }

    /** From now on every reading of the clock moves it on by {@code step} first: code that reads it twice differs. */
    public void tickOnEveryReading(Duration step) {
        clock.step = step.toMillis();
    }

    @Override
    public synchronized void execute(Runnable task) {
        ready.add(task);
    }

    @Override
    public synchronized Cancellable schedule(Duration delay, Runnable task) {
        boolean[] cancelled = {false};
        timers.add(new Timer(clock.millis() + delay.toMillis(), seq++, task, cancelled));
        return () -> cancelled[0] = true;
    }

    @Override
    public void close() {}

    public void runReady() {
        while (true) {
            Runnable next;
            synchronized (this) {
                next = ready.poll();
            }
            if (next == null) {
                return;
            }
            next.run();
        }
    }

    /** Moves time forward, running every task and timer that falls due, in order. */
    public void advance(Duration d) {
        long target = clock.millis() + d.toMillis();
        runReady();
        while (true) {
            Timer t;
            synchronized (this) {
                t = timers.peek();
                if (t == null || t.dueMillis() > target) {
                    break;
                }
                timers.poll();
            }
            clock.set(t.dueMillis());
            if (!t.cancelled()[0]) {
                t.task().run();
            }
            runReady();
        }
        clock.set(target);
        runReady();
    }

    static final class MutableClock extends Clock {
        private volatile long millis;
        private volatile long step;

        MutableClock(Instant start) {
            this.millis = start.toEpochMilli();
        }

        void set(long millis) {
            this.millis = millis;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }

        @Override
        public long millis() {
            if (step != 0) {
                millis += step;
            }
            return millis;
        }
    }
}
