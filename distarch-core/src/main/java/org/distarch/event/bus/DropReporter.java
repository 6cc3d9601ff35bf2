package org.distarch.event.bus;

import org.distarch.event.DistarchEvent;
import org.distarch.event.DistarchListener;
import org.distarch.event.ListenerStats;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Tells, on its own thread, when a listener's queue overflows: one line when it starts dropping, then at
 * most one line per {@code interval} with the count since the last line, and a last one at close. Its own
 * thread so that a slow notice callback (the log) never delays a publisher.
 */
final class DropReporter {

    private final List<ListenerQueue> queues;
    private final BiConsumer<DistarchListener, String> onNotice;
    private final long intervalNanos;
    private final Thread thread;
    private final Object monitor = new Object();
    private boolean woken;
    private boolean stopped;

    DropReporter(List<ListenerQueue> queues, BiConsumer<DistarchListener, String> onNotice, Duration interval,
            String threadName) {
        this.queues = queues;
        this.onNotice = onNotice;
        this.intervalNanos = interval.toNanos();
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** A queue dropped an event; short and non-blocking enough for the publisher's thread. */
    void wake() {
        synchronized (monitor) {
            woken = true;
            monitor.notifyAll();
        }
    }

    /** Reports what is left unreported, then ends the thread (bounded wait). */
    void stop(long deadlineNanos) throws InterruptedException {
        synchronized (monitor) {
            stopped = true;
            monitor.notifyAll();
        }
        thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime())));
    }

    Thread thread() {
        return thread;
    }

    private void run() {
        while (true) {
            boolean last;
            synchronized (monitor) {
                last = stopped;
            }
            long next = pass(last);
            if (last) {
                return;
            }
            synchronized (monitor) {
                try {
                    while (!woken && !stopped) {
                        long left = next - System.nanoTime();
                        if (next == Long.MAX_VALUE) {
                            monitor.wait();
                        } else if (left > 0) {
                            TimeUnit.NANOSECONDS.timedWait(monitor, left);
                        } else {
                            break;
                        }
                    }
                } catch (InterruptedException e) {
                    stopped = true;
                }
                woken = false;
            }
        }
    }

    /** Reports what is due; returns when the next report is due (Long.MAX_VALUE: none pending). */
    private long pass(boolean all) {
        long next = Long.MAX_VALUE;
        for (ListenerQueue q : queues) {
            q.reporterAware = false; // before reading the count: a drop after this read wakes us
            long dropped = q.dropped();
            if (dropped == q.reportedDrops) {
                continue;
            }
            long now = System.nanoTime();
            ListenerStats s = q.stats();
            if (q.reportedDrops == 0) {
                notice(q, "its queue of " + s.capacity() + " events is full: new events for it are dropped until"
                        + " it catches up (" + dropped + " so far)");
            } else if (all || now - q.lastReportNanos >= intervalNanos) {
                notice(q, (dropped - q.reportedDrops) + " more events dropped for it (" + dropped + " in total)");
            } else {
                q.reporterAware = true;
                next = Math.min(next, q.lastReportNanos + intervalNanos);
                continue;
            }
            q.reportedDrops = dropped;
            q.lastReportNanos = now;
        }
        return next;
    }

    private void notice(ListenerQueue q, String message) {
        try {
            onNotice.accept(q.listener(), message);
        } catch (RuntimeException ignored) {
            // a failing notice must not end the reporting
        }
    }
}
