package org.distarch.remote.relay;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.distarch.event.ExitStatus;
import org.distarch.launch.LaunchedWorker;
import org.distarch.launch.Launcher;
import org.distarch.launch.Usage;
import org.distarch.remote.protocol.RelayFrame;

/**
 * The processes a relay runs for its master, by the master's handles. It only starts, relays and signals:
 * every decision (timeouts, restarts, when to kill) is the master's, except when the master is gone, when
 * {@link #stopAll} asks every process to stop and kills it after its grace, so that nothing runs unsupervised.
 */
final class RelayProcesses {

    private record Running(LaunchedWorker worker, long graceMillis) {}

    private final Launcher launcher;
    private final FrameWriter out;
    private final Map<Integer, Running> running = new ConcurrentHashMap<>();
    private final Map<Integer, CompletableFuture<Void>> gone = new ConcurrentHashMap<>();
    private volatile boolean closing;

    RelayProcesses(Launcher launcher, FrameWriter out) {
        this.launcher = launcher;
        this.out = out;
    }

    void launch(RelayFrame.Launch l) {
        int handle = l.handle();
        if (closing || gone.containsKey(handle)) {
            out.write(new RelayFrame.Failed(handle, closing ? "the relay is stopping" : "handle " + handle + " in use"));
            return;
        }
        CompletableFuture<Void> over = new CompletableFuture<>();
        gone.put(handle, over);
        // The launcher may read a quick process's first lines before it reports the launch: they wait until
        // started is written, so that the master never gets a line of a process it does not know runs yet (its
        // one reading thread would wait for that start in vain).
        CountDownLatch announced = new CountDownLatch(1);
        launcher.withStopGrace(Duration.ofMillis(l.graceMillis())).launch(l.spec(), (stream, text) -> {
            awaitAnnounced(announced);
            out.write(new RelayFrame.Line(handle, text, stream));
        }).whenComplete((w, e) -> {
            if (e != null) {
                Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                out.write(new RelayFrame.Failed(handle, String.valueOf(cause.getMessage())));
                announced.countDown();
                gone.remove(handle);
                over.complete(null);
                return;
            }
            running.put(handle, new Running(w, l.graceMillis()));
            out.write(new RelayFrame.Started(handle, w.pid()));
            announced.countDown();
            if (closing) {
                w.askStop();
            }
            w.exit().whenComplete((exit, x) -> {
                ExitStatus status = exit == null ? new ExitStatus(-1, 0) : exit;
                running.remove(handle);
                out.write(new RelayFrame.Exited(handle, status.code(), status.signal()));
                gone.remove(handle);
                over.complete(null);
            });
        });
    }

    private static void awaitAnnounced(CountDownLatch announced) {
        try {
            announced.await(30, TimeUnit.SECONDS); // bounded: a lost hand-over only delays output
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void askStop(int handle) {
        Running r = running.get(handle);
        if (r != null) {
            r.worker().askStop();
        }
    }

    void signal(int handle, String signal) {
        Running r = running.get(handle);
        if (r != null) {
            r.worker().signal(signal);
        }
    }

    void kill(int handle) {
        Running r = running.get(handle);
        if (r != null) {
            r.worker().kill();
        }
    }

    /** CPU and memory of every running process, for the master's status and {@code max_memory}. */
    List<RelayFrame.Sample> usage() {
        List<RelayFrame.Sample> samples = new ArrayList<>();
        running.forEach((handle, r) -> {
            Usage u = r.worker().usage();
            samples.add(new RelayFrame.Sample(handle, u.cpuMillis(), u.rssBytes()));
        });
        return samples;
    }

    /**
     * Stops everything and takes no more launches: asks each process to stop, kills it after its grace, and
     * returns once all are gone (or {@code limit} passed).
     */
    void stopAll(Duration limit) {
        closing = true;
        ScheduledExecutorService killer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "distarch-relay-killer");
            t.setDaemon(true);
            return t;
        });
        try {
            running.values().forEach(r -> {
                r.worker().askStop();
                killer.schedule(r.worker()::kill, r.graceMillis(), TimeUnit.MILLISECONDS);
            });
            CompletableFuture.allOf(gone.values().toArray(CompletableFuture[]::new))
                    .get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            running.values().forEach(r -> r.worker().kill());
        } finally {
            killer.shutdownNow();
        }
    }

    /** The longest stop grace among running processes. */
    long maxGraceMillis() {
        return running.values().stream().mapToLong(Running::graceMillis).max().orElse(0);
    }
}
