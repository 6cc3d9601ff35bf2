package org.distarch.history;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.distarch.event.DistarchEvent;
import org.distarch.event.DistarchListener;
import org.distarch.event.MasterEvent;

/**
 * Writes the fleet's history without ever holding up supervision. As a listener it turns each event into
 * entries on its bus thread (cheap, no I/O) and offers them to its own bounded queue; its thread
 * ({@code distarch-history}) takes what has accumulated, up to a batch, and writes it in one transaction of
 * multi-row inserts. When the queue is full, entries are dropped and counted ({@link #stats}). When the
 * database is slow, batches grow; when it is down, the writer keeps the batch in hand and retries with a
 * growing backoff (up to {@code maxBackoff}) while new entries beyond the queue are dropped and counted; it
 * says so once when the outage starts and once when it ends, with the count. The same thread opens the
 * store (migrations) and records the run, so a database that is down at start delays nothing either; it
 * also writes the queue totals and applies the retention, periodically.
 *
 * <p>{@link #audit} records a control action from any thread, through the same queue.
 */
public final class HistoryWriter implements DistarchListener, AutoCloseable {

    /** Where the writer reports an outage and its end: the master's log. */
    public interface Notices {
        void warn(String message);

        void info(String message);
    }

    /** The writer's knobs; {@link #DEFAULTS} for a master. */
    public record Settings(int queueCapacity, int maxBatch, Duration totalsInterval, Duration retentionInterval,
            Duration minBackoff, Duration maxBackoff, Duration closeTimeout) {
        public static final Settings DEFAULTS = new Settings(16_384, 1_000, Duration.ofMinutes(1), Duration.ofHours(1),
                Duration.ofMillis(250), Duration.ofSeconds(30), Duration.ofSeconds(5));
    }

    private record RunEnd(Instant stopped, Integer exitCode, String reason) {}

    private static final Object WAKE = new Object();

    private final Object closeSignal = new Object();
    private final HistoryOptions options;
    private final RunRecord run;
    private final Settings settings;
    private final Clock clock;
    private final Notices notices;
    private final BlockingQueue<Object> queue;
    private final EventRows rows = new EventRows();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final Thread thread;
    /** How soon a failed retention is tried again (at most its interval). */
    static final Duration RETENTION_RETRY = Duration.ofMinutes(1);
    private volatile boolean failing;
    /**
     * A retention that failed and is not told yet (writer thread only): told once a write shows the database
     * answering, or when the retry fails too; forgotten when an outage begins, which tells itself. So a database
     * that goes down during a retention gives one warning, not two.
     */
    private String retentionProblem;
    private volatile boolean closing;
    private volatile long runId;
    private HistoryStore store;
    private boolean ended;
    /** Drops counted when the last batch was written (writer thread): an outage's drops are those since. */
    private long droppedAtLastWrite;
    /** When queue totals are next due (listener thread). */
    private long nextTotals;

    public HistoryWriter(HistoryOptions options, RunRecord run, Settings settings, Clock clock, Notices notices) {
        this.options = options;
        this.run = run;
        this.settings = settings;
        this.clock = clock;
        this.notices = notices;
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        this.thread = new Thread(this::work, "distarch-history");
        this.thread.setDaemon(true);
    }

    /** Starts the writer thread (which opens the store); returns at once. */
    public HistoryWriter start() {
        thread.start();
        return this;
    }

    /** The run id once the run is recorded, else 0. */
    public long runId() {
        return runId;
    }

    public HistoryWriterStats stats() {
        int queued = queue.size();
        return new HistoryWriterStats(queued, settings.queueCapacity(), written.get(), dropped.get(), failing);
    }

    /**
     * Every event but a remote host's heartbeat ({@code master_running} once a second per relay): the history keeps
     * none of them, and the master's own heartbeat already paces the totals.
     */
    @Override
    public boolean wants(DistarchEvent event) {
        return !(event instanceof MasterEvent.Running r && r.remote());
    }

    /** The master's events; never blocks. */
    @Override
    public void onEvent(DistarchEvent event) {
        if (event instanceof MasterEvent.Stopped s && !s.remote()) {
            rows.totals(s.time()).forEach(this::offer);
            offer(new RunEnd(s.time(), s.exitCode(), s.reason()));
            return;
        }
        for (HistoryEntry e : rows.of(event)) {
            offer(e);
        }
        // the master's heartbeat (every second) brings this round often enough; EventRows is this thread's only
        long now = event.time().toEpochMilli();
        if (now >= nextTotals) {
            nextTotals = now + settings.totalsInterval().toMillis();
            rows.totals(event.time()).forEach(this::offer);
        }
    }

    /**
     * Records a control action (the audit): who asked, through what, which action on which target (null: the
     * fleet), and the control plane's answer. Never blocks; any thread.
     */
    public void audit(String who, String via, String action, String target, boolean ok, String result, Instant time) {
        offer(new HistoryEntry.Action(0, 0, time, who, via, action, target, ok, result));
    }

    private void offer(Object item) {
        if (closing && !Thread.currentThread().equals(thread) || !queue.offer(item)) {
            dropped.incrementAndGet();
        }
    }

    /**
     * Writes what is queued (for at most the close timeout), records the end of the run, and closes the store.
     * A database that is down at the close loses what is still queued: counted as dropped, not waited for.
     */
    @Override
    public void close() {
        synchronized (closeSignal) {
            closing = true;
            closeSignal.notifyAll();
        }
        queue.offer(WAKE);
        try {
            thread.join(settings.closeTimeout().toMillis());
            if (thread.isAlive()) {
                thread.interrupt();
                thread.join(1000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- the writer thread ----------------------------------------------------------------------------

    private void work() {
        long nextRetention = System.nanoTime();
        List<Object> batch = new ArrayList<>();
        try {
            while (true) {
                if (batch.isEmpty()) {
                    long wait = Math.max(0, nextRetention - System.nanoTime());
                    Object first = closing ? queue.poll() : queue.poll(wait, TimeUnit.NANOSECONDS);
                    if (first == null && closing) {
                        break;
                    }
                    if (first != null) {
                        batch.add(first);
                        queue.drainTo(batch, settings.maxBatch() - 1);
                    }
                    batch.removeIf(item -> item == WAKE);
                }
                long now = System.nanoTime();
                flush(batch);
                batch.clear();
                if (now >= nextRetention && !closing && store != null) {
                    Duration next = retain() ? settings.retentionInterval()
                            : min(settings.retentionInterval(), RETENTION_RETRY);
                    nextRetention = System.nanoTime() + next.toNanos();
                }
            }
            if (!ended && store != null) {
                try {
                    store.endRun(runId, clock.instant(), null, "the master exited without a stop event");
                } catch (HistoryException e) {
                    // the database went away at the very end: nothing left to retry with
                }
            }
        } catch (InterruptedException e) {
            dropped.addAndGet(batch.size() + queue.size());
        } finally {
            if (store != null) {
                store.close();
            }
        }
    }

    /**
     * Writes the batch (opening the store first if need be), retrying with backoff while the database fails;
     * when the writer is closing and the database is still down, the batch and the queue are counted dropped.
     */
    private void flush(List<Object> batch) throws InterruptedException {
        if (batch.isEmpty() && store != null) {
            return;
        }
        long backoff = settings.minBackoff().toMillis();
        long outageStart = 0;
        while (true) {
            try {
                write(batch);
                if (retentionProblem != null && !batch.isEmpty()) {
                    notices.warn(retentionProblem); // the database answers: the retention failed for its own reason
                    retentionProblem = null;
                }
                if (failing) {
                    failing = false;
                    notices.info("History database " + options.maskedUrl() + " is back after "
                            + Duration.ofMillis(System.currentTimeMillis() - outageStart).toSeconds() + " s; "
                            + (dropped.get() - droppedAtLastWrite) + " history entries were dropped meanwhile");
                }
                droppedAtLastWrite = dropped.get();
                return;
            } catch (HistoryException e) {
                if (!failing) {
                    failing = true;
                    retentionProblem = null; // the outage's own warning says it
                    outageStart = System.currentTimeMillis();
                    notices.warn(e.getMessage() + "; supervision goes on, history entries are dropped (and counted)"
                            + " until the database is back");
                }
                if (closing) {
                    dropped.addAndGet(batch.size() + queue.size());
                    queue.clear();
                    batch.clear();
                    return;
                }
                sleep(backoff);
                backoff = Math.min(settings.maxBackoff().toMillis(), backoff * 2);
            }
        }
    }

    /** Waits for the backoff, or less when the writer is asked to close. */
    private void sleep(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        synchronized (closeSignal) {
            while (!closing) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                TimeUnit.NANOSECONDS.timedWait(closeSignal, left);
            }
        }
    }

    private void write(List<Object> batch) {
        if (store == null) {
            HistoryStore opened = HistoryStore.open(options);
            try {
                runId = opened.startRun(run);
            } catch (HistoryException e) {
                opened.close();
                throw e;
            }
            store = opened;
        }
        List<HistoryEntry> entries = new ArrayList<>(batch.size());
        RunEnd end = null;
        for (Object item : batch) {
            if (item instanceof HistoryEntry e) {
                entries.add(e);
            } else if (item instanceof RunEnd r) {
                end = r;
            }
        }
        store.write(runId, entries);
        if (end != null) {
            store.endRun(runId, end.stopped(), end.exitCode(), end.reason());
            ended = true;
        }
        written.addAndGet(entries.size());
    }

    /** Applies the retention; false when it failed untold and is to be tried again soon (see {@link #retentionProblem}). */
    private boolean retain() {
        try {
            store.retain(clock.instant(), runId);
            retentionProblem = null;
            return true;
        } catch (HistoryException e) {
            if (retentionProblem != null && !failing) {
                notices.warn(e.getMessage()); // failed twice with the database up between: its own problem
                retentionProblem = null;
                return true; // told; the next attempt at the usual interval
            }
            retentionProblem = e.getMessage();
            return false;
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
