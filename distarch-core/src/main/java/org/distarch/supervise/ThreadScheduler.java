package org.distarch.supervise;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The real {@link Scheduler}: one daemon thread, wall-clock timers. A task that throws is reported, not fatal.
 *
 * <p>It measures itself ({@link #takeStats()}): {@code System.nanoTime()} around every task, keeping the
 * longest, its class and the CPU time it used (this thread's CPU clock, so that a task that waited for a core
 * tells from one that worked), and for timers how late each started against its due time. Four clock reads per
 * task, about a microsecond.
 */
public final class ThreadScheduler implements Scheduler {

    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private final Clock clock;
    private final ScheduledThreadPoolExecutor executor;
    private final Consumer<Throwable> onError;
    private long longestTaskNanos;
    private Class<?> longestTask;
    private long longestTaskCpuNanos;
    private long worstLatenessNanos;

    public ThreadScheduler(Clock clock, Consumer<Throwable> onError) {
        this.clock = clock;
        this.onError = onError;
        this.executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "distarch-supervisor");
            t.setDaemon(true);
            return t;
        });
        this.executor.setRemoveOnCancelPolicy(true);
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public void execute(Runnable task) {
        if (!executor.isShutdown()) {
            executor.execute(guarded(task, 0));
        }
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        if (executor.isShutdown()) {
            return Cancellable.NONE;
        }
        long millis = Math.max(0, delay.toMillis());
        long due = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        ScheduledFuture<?> future = executor.schedule(guarded(task, due), millis, TimeUnit.MILLISECONDS);
        return () -> future.cancel(false);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    @Override
    public synchronized SupervisionStats takeStats() {
        SupervisionStats stats = new SupervisionStats(TimeUnit.NANOSECONDS.toMillis(longestTaskNanos),
                kind(longestTask), TimeUnit.NANOSECONDS.toMillis(longestTaskCpuNanos),
                TimeUnit.NANOSECONDS.toMillis(worstLatenessNanos));
        longestTaskNanos = 0;
        longestTaskCpuNanos = 0;
        longestTask = null;
        worstLatenessNanos = 0;
        return stats;
    }

    /** {@code due}: the {@code System.nanoTime()} a timer was due at; 0 for a task to run now. */
    private Runnable guarded(Runnable task, long due) {
        return () -> {
            long start = System.nanoTime();
            long cpu = CPU.getCurrentThreadCpuTime();
            try {
                task.run();
            } catch (Throwable t) {
                onError.accept(t);
            } finally {
                record(task, start, due, cpu);
            }
        };
    }

    private synchronized void record(Runnable task, long start, long due, long cpuStart) {
        long took = System.nanoTime() - start;
        if (took > longestTaskNanos) {
            longestTaskNanos = took;
            longestTask = task.getClass();
            longestTaskCpuNanos = Math.max(0, CPU.getCurrentThreadCpuTime() - cpuStart);
        }
        if (due != 0 && start - due > worstLatenessNanos) {
            worstLatenessNanos = start - due;
        }
    }

    /** A lambda's class is named {@code Writer$$Lambda$12/0x…}: the class that wrote it says what it was. */
    private static String kind(Class<?> type) {
        if (type == null) {
            return "none";
        }
        String name = type.getName();
        int lambda = name.indexOf("$$Lambda");
        name = lambda >= 0 ? name.substring(0, lambda) : name;
        return name.substring(name.lastIndexOf('.') + 1);
    }
}
