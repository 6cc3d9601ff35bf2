package org.distarch.master;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.distarch.control.MasterStatus;
import org.distarch.control.ProcessStatus;
import org.distarch.launch.Usage;

/**
 * The CPU and memory figures of a status, read off the supervision thread and kept for a while. Reading them
 * costs two /proc files a process (and a scan of the process table for the children): about 40 ms at 1,000
 * workers, which every status used to spend on the supervision thread, so that a page or {@code top} asking
 * often kept supervision busy and no snapshot could answer in 50 ms.
 *
 * <p>A status carries figures read at most {@link #MAX_AGE_NANOS} before it was asked, for every process it
 * lists with a pid: a sample older than {@link #REFRESH_NANOS} is answered from and read again in the background
 * (so a client asking every 2 s or more often never waits for /proc, and one asking all the time costs one
 * reading a second); one older than the maximum age is read again and the status waits for it, on the reader's
 * thread, as it does for the processes started since the sample, which alone are read and added to it. Nothing is
 * read while nobody asks, and the reader's thread ends when idle.
 */
final class UsageSampler implements AutoCloseable {

    static final long REFRESH_NANOS = TimeUnit.SECONDS.toNanos(1);
    static final long MAX_AGE_NANOS = TimeUnit.SECONDS.toNanos(2);

    /** A process with a pid, as the supervision thread saw it, and how to read its figures from any thread. */
    record Running(int id, long pid, Supplier<Usage> usage) {}

    /** A status as the supervision thread made it (CPU and memory zero), and its processes with a pid. */
    record Snapshot(MasterStatus status, List<Running> running) {}

    private record Measured(long pid, Usage usage) {}

    /** Figures of the processes by id, and when their reading began. */
    private record Sample(long takenAt, Map<Integer, Measured> byId) {
        /** The processes of {@code running} this sample has no figures of (started since). */
        List<Running> missing(List<Running> running) {
            List<Running> missing = new ArrayList<>();
            for (Running r : running) {
                Measured m = byId.get(r.id());
                if (m == null || m.pid() != r.pid()) {
                    missing.add(r);
                }
            }
            return missing;
        }
    }

    /** A reading queued or under way, and the processes it reads. */
    private record Reading(List<Running> running, CompletableFuture<Sample> sample) {}

    private final Executor reader;
    private final Runnable closer;
    private final LongSupplier nanos;
    private volatile Sample latest;
    private Reading reading; // guarded by this

    /** Reads on a thread of its own, started when asked and ended after 30 idle seconds. */
    UsageSampler() {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                r -> {
                    Thread t = new Thread(r, "distarch-usage");
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        this.reader = pool;
        this.closer = pool::shutdownNow;
        this.nanos = System::nanoTime;
    }

    /** For tests: reads on {@code reader}, ages measured by {@code nanos}. */
    UsageSampler(Executor reader, LongSupplier nanos) {
        this.reader = reader;
        this.closer = () -> { };
        this.nanos = nanos;
    }

    /**
     * The snapshot's status with each process's figures filled in ({@link Usage#UNKNOWN} for one without a pid).
     * Completes at once from a recent sample, else once read.
     */
    CompletableFuture<MasterStatus> complete(Snapshot snapshot) {
        return complete(snapshot.status(), snapshot.running());
    }

    private CompletableFuture<MasterStatus> complete(MasterStatus snapshot, List<Running> running) {
        if (running.isEmpty()) {
            return CompletableFuture.completedFuture(fill(snapshot, new Sample(0, Map.of())));
        }
        Sample s = latest;
        long age = s == null ? Long.MAX_VALUE : nanos.getAsLong() - s.takenAt();
        if (age > MAX_AGE_NANOS) {
            return read(running, true).thenApply(fresh -> fill(snapshot, fresh));
        }
        List<Running> missing = s.missing(running);
        if (!missing.isEmpty()) {
            // Processes started since the sample: only they are read, and added to it.
            return read(missing, false).thenApply(added -> fill(snapshot, added));
        }
        if (age > REFRESH_NANOS) {
            read(running, true);
        }
        return CompletableFuture.completedFuture(fill(snapshot, s));
    }

    /**
     * The reading under way or queued when it reads every one of {@code running}; else a new one, queued after it.
     * A whole reading makes a new sample; another adds its processes to the latest.
     */
    private synchronized CompletableFuture<Sample> read(List<Running> running, boolean whole) {
        Reading r = reading;
        if (r != null && !r.sample().isDone() && covers(r.running(), running)) {
            return r.sample();
        }
        CompletableFuture<Sample> sample;
        try {
            sample = CompletableFuture.supplyAsync(() -> measure(running, whole), reader);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            sample = CompletableFuture.failedFuture(new IllegalStateException("the master has ended"));
        }
        Reading mine = new Reading(running, sample);
        reading = mine;
        // Forgotten once done: it holds the workers it read, which may have ended since.
        sample.whenComplete((done, error) -> forget(mine));
        return sample;
    }

    private synchronized void forget(Reading done) {
        if (reading == done) {
            reading = null;
        }
    }

    private static boolean covers(List<Running> read, List<Running> wanted) {
        Map<Integer, Long> pids = new HashMap<>();
        read.forEach(r -> pids.put(r.id(), r.pid()));
        return wanted.stream().allMatch(w -> Long.valueOf(w.pid()).equals(pids.get(w.id())));
    }

    /** On the reader's thread, the only one that sets {@link #latest}. */
    private Sample measure(List<Running> running, boolean whole) {
        Sample base = latest;
        long takenAt = whole || base == null ? nanos.getAsLong() : base.takenAt();
        Map<Integer, Measured> byId = whole || base == null ? new HashMap<>() : new HashMap<>(base.byId());
        for (Running r : running) {
            Usage u;
            try {
                u = r.usage().get();
            } catch (RuntimeException e) {
                u = Usage.UNKNOWN; // a worker that cannot tell counts as one that is gone
            }
            byId.put(r.id(), new Measured(r.pid(), u == null ? Usage.UNKNOWN : u));
        }
        Sample s = new Sample(takenAt, byId);
        latest = s;
        return s;
    }

    private static MasterStatus fill(MasterStatus snapshot, Sample sample) {
        List<ProcessStatus> processes = new ArrayList<>(snapshot.processes().size());
        for (ProcessStatus p : snapshot.processes()) {
            Measured m = p.pid() > 0 ? sample.byId().get(p.id()) : null;
            Usage u = m != null && m.pid() == p.pid() ? m.usage() : Usage.UNKNOWN;
            processes.add(new ProcessStatus(p.id(), p.group(), p.host(), p.process(), p.state(), p.pid(),
                    p.startedAtMillis(), p.restarts(), p.lastSeenMillis(), p.lastOutput(), u.cpuMillis(),
                    u.rssBytes(), p.held(), p.groupId(), p.command(), p.role(), p.stateReason(),
                    p.stateSinceMillis(), p.stoppedAtMillis(), p.crashes(), p.timeouts(), p.lastExit()));
        }
        return new MasterStatus(snapshot.pid(), snapshot.startedAtMillis(), snapshot.config(), snapshot.service(),
                snapshot.suspendedGroups(), processes, snapshot.listeners(), snapshot.groups(), snapshot.relays());
    }

    /** Ends the reader's thread; a status asked later fails, as the master has ended. */
    @Override
    public void close() {
        closer.run();
    }
}
