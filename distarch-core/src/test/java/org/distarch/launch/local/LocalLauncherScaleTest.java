package org.distarch.launch.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.distarch.event.ExitStatus;
import org.distarch.launch.LaunchSpec;
import org.distarch.launch.LaunchedWorker;
import org.distarch.launch.LineHandler;
import org.distarch.output.LineSplitter;
import org.distarch.testing.NoStrayThreads;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Issue 15: the local process layer's threads do not grow with the workers, and one flood slows only itself. */
@ExtendWith(NoStrayThreads.class)
class LocalLauncherScaleTest {

    private static final long LIMIT_SECONDS = 60;

    @TempDir
    Path dir;

    private final LocalLauncher launcher = new LocalLauncher(LineSplitter.DEFAULT_MAX_LINE_BYTES);
    private final List<LaunchedWorker> started = new ArrayList<>();

    @AfterEach
    void killLeftovers() throws Exception {
        for (LaunchedWorker w : started) {
            w.kill();
        }
        for (LaunchedWorker w : started) {
            w.exit().toCompletableFuture().get(LIMIT_SECONDS, TimeUnit.SECONDS);
        }
        launcher.close();
    }

    private LaunchedWorker launch(LineHandler output, String... command) throws Exception {
        LaunchedWorker w = launcher.launch(new LaunchSpec(List.of(command), dir, Map.of(), null), output)
                .toCompletableFuture().get(LIMIT_SECONDS, TimeUnit.SECONDS);
        started.add(w);
        return w;
    }

    private static long distarchThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("distarch-")).count();
    }

    private static long reaperThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().contains("process reaper")).count();
    }

    /**
     * 300 workers, each printing a line and then waiting: every line arrives, and the launcher runs on the same
     * handful of threads as with one worker (spawner, output loop, signaller and the fixed line threads), with no
     * JDK reaper thread per child. Killed, each reports SIGKILL.
     */
    @Test
    void threeHundredWorkersShareAFixedSetOfThreadsAndAllReportTheirDeath() throws Exception {
        int n = 300;
        long before = distarchThreads();
        long reapersBefore = reaperThreads();
        AtomicLong lines = new AtomicLong();
        for (int i = 0; i < n; i++) {
            launch((stream, line) -> lines.incrementAndGet(), "sh", "-c", "echo started $$; exec sleep 600");
        }
        await(() -> lines.get() == n);
        long bound = 3 + OutputLoop.LINE_THREADS; // spawner, output loop, signaller, line threads
        assertThat(distarchThreads() - before).isLessThanOrEqualTo(bound);
        assertThat(reaperThreads() - reapersBefore).isZero();
        for (LaunchedWorker w : started) {
            w.kill();
        }
        for (LaunchedWorker w : started) {
            ExitStatus exit = w.exit().toCompletableFuture().get(LIMIT_SECONDS, TimeUnit.SECONDS);
            assertThat(exit.signal()).isEqualTo(9);
        }
        assertThat(distarchThreads() - before).isLessThanOrEqualTo(bound);
    }

    /**
     * A worker whose lines the consumer does not take (its handler is stuck) is held at its own write: it cannot
     * get 4 MB out while the master buffers a bounded amount, and meanwhile another worker's lines and exit
     * arrive. Let go, the flood finishes with every line.
     */
    @Test
    void aWorkerWhoseLinesAreNotTakenIsHeldWhileAnotherWorkersOutputFlows() throws Exception {
        Path floodDone = dir.resolve("flood-done");
        CountDownLatch release = new CountDownLatch(1);
        AtomicLong floodLines = new AtomicLong();
        LaunchedWorker flood = launch((stream, line) -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            floodLines.incrementAndGet();
        }, "sh", "-c", "yes | head -c 4000000; touch " + floodDone);
        try {
            floodIsHeldWhileAnotherFlows(flood, floodDone);
        } finally {
            release.countDown();
        }
        ExitStatus floodExit = flood.exit().toCompletableFuture().get(LIMIT_SECONDS, TimeUnit.SECONDS);
        assertThat(floodExit.clean()).isTrue();
        assertThat(floodDone).exists();
        assertThat(floodLines.get()).isEqualTo(2_000_000L); // "y\n" times 2,000,000
    }

    private void floodIsHeldWhileAnotherFlows(LaunchedWorker flood, Path floodDone) throws Exception {
        List<String> other = new CopyOnWriteArrayList<>();
        LaunchedWorker quiet = launch((stream, line) -> other.add(line), "sh", "-c",
                "for i in 1 2 3 4 5; do echo line $i; done");
        ExitStatus quietExit = quiet.exit().toCompletableFuture().get(LIMIT_SECONDS, TimeUnit.SECONDS);
        assertThat(quietExit.clean()).isTrue();
        assertThat(other).containsExactly("line 1", "line 2", "line 3", "line 4", "line 5");
        // Held: 4 MB cannot fit in the pipe and the master's bounded inbox while no line is taken.
        assertThat(floodDone).doesNotExist();
        assertThat(flood.exit().toCompletableFuture().isDone()).isFalse();
    }

    /**
     * A flood of short lines reaches a handler that takes lines in batches ({@link LineHandler#onLines}) as
     * batches of what one read held, none longer than {@link LineHandler#BATCH_LINES} (so that what waits in
     * the logs' queues stays small), with every line once and in order, and the last line without a newline too.
     */
    @Test
    void aFloodArrivesInBoundedBatchesWithEveryLineInOrder() throws Exception {
        int total = 300_000;
        AtomicLong next = new AtomicLong(1);
        AtomicLong calls = new AtomicLong();
        AtomicLong largest = new AtomicLong();
        List<String> wrong = new CopyOnWriteArrayList<>();
        LineHandler batches = new LineHandler() {
            @Override
            public void onLine(org.distarch.launch.WorkerStream stream, String line) {
                onLines(stream, List.of(line));
            }

            @Override
            public void onLines(org.distarch.launch.WorkerStream stream, List<String> lines) {
                calls.incrementAndGet();
                largest.accumulateAndGet(lines.size(), Math::max);
                for (String line : lines) {
                    String expected = next.get() <= total ? Long.toString(next.get()) : "last";
                    if (!line.equals(expected) && wrong.size() < 5) {
                        wrong.add(expected + " expected, got " + line);
                    }
                    next.incrementAndGet();
                }
            }
        };
        LaunchedWorker w = launch(batches, "sh", "-c", "seq 1 " + total + "; printf last");
        assertThat(w.exit().toCompletableFuture().get(LIMIT_SECONDS, TimeUnit.SECONDS).clean()).isTrue();
        await(() -> next.get() == total + 2);
        assertThat(wrong).isEmpty();
        assertThat(largest.get()).isLessThanOrEqualTo(LineHandler.BATCH_LINES).isGreaterThan(1);
        assertThat(calls.get()).as("lines come batched, not one call each").isLessThan(total / 10);
    }

    /** The master's own open files and sockets are none of a worker's business: it gets 0, 1 and 2 only. */
    @Test
    @SuppressWarnings("try") // the stream is only held open, as the master holds its log files
    void aWorkerInheritsOnlyItsThreeStandardDescriptors() throws Exception {
        try (var held = Files.newOutputStream(dir.resolve("held-open"))) {
            List<String> fds = new CopyOnWriteArrayList<>();
            LaunchedWorker w = launch((stream, line) -> fds.add(line), "sh", "-c", "ls /proc/$$/fd");
            w.exit().toCompletableFuture().get(LIMIT_SECONDS, TimeUnit.SECONDS);
            assertThat(fds).containsExactly("0", "1", "2");
        }
    }

    /** A death by signal and an exit code of the same number are told apart. */
    @Test
    void aDeathBySignalIsNotMistakenForAnExitCode() throws Exception {
        LaunchedWorker exits = launch((s, l) -> {}, "sh", "-c", "exit 15");
        LaunchedWorker signalled = launch((s, l) -> {}, "sh", "-c", "kill -TERM $$");
        assertThat(exits.exit().toCompletableFuture().get(LIMIT_SECONDS, TimeUnit.SECONDS))
                .isEqualTo(new ExitStatus(15, 0));
        assertThat(signalled.exit().toCompletableFuture().get(LIMIT_SECONDS, TimeUnit.SECONDS))
                .isEqualTo(new ExitStatus(128 + 15, 15));
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(LIMIT_SECONDS);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(condition.getAsBoolean()).isTrue();
    }

    /**
     * Every worker leads a session and a process group of its own (group kill, and the terminal's Ctrl-C reaching
     * only the master), made by posix_spawn itself where the C library can: no {@code setsid} exec in the chain.
     */
    @Test
    void aWorkerLeadsASessionAndGroupOfItsOwnWithoutTheSetsidProgram() throws Exception {
        LaunchedWorker w = launch((stream, text) -> { }, "sleep", "30");
        org.distarch.launch.generation.ProcStat stat = org.distarch.launch.generation.ProcStat.of(w.pid()).orElseThrow();
        assertThat(stat.group()).isEqualTo(w.pid());
        assertThat(stat.session()).isEqualTo(w.pid());
        assertThat(launcher.ownProcessGroups()).isTrue();
        if (NativeSpawn.canStartSessions()) {
            assertThat(launcher.wrapper()).noneMatch(word -> word.endsWith("setsid"));
        }
    }
}
