package org.distarch.launch.generation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.distarch.event.ExitStatus;
import org.distarch.launch.LaunchSpec;
import org.distarch.launch.LaunchedWorker;
import org.distarch.launch.local.LocalLauncher;
import org.distarch.output.LineSplitter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a generation leaves for the next one about each worker, with real processes from the local launcher. */
class JournaledLauncherTest {

    private static final long LIMIT_SECONDS = 60;

    @TempDir
    Path dir;

    private final LocalLauncher local = new LocalLauncher(LineSplitter.DEFAULT_MAX_LINE_BYTES);
    private final List<LaunchedWorker> started = new ArrayList<>();

    @AfterEach
    void killLeftovers() throws Exception {
        for (LaunchedWorker w : started) {
            w.kill();
            w.exit().toCompletableFuture().get(LIMIT_SECONDS, TimeUnit.SECONDS);
        }
        local.close();
    }

    /**
     * The soak's case (seed 466233445) played through: the journal as a relay killed right after the spawn left
     * it, without the worker's line. The next generation still finds the worker, by the mark the launcher put in
     * its environment, and gives it the grace written before the spawn.
     */
    @Test
    void aWorkerSpawnedJustBeforeItsGenerationDiedIsFoundAndGivenItsGrace() throws Exception {
        Path file = dir.resolve("r.workers");
        WorkerJournal journal = WorkerJournal.create(file, null, GenerationMark.create());
        JournaledLauncher launcher = new JournaledLauncher(local, journal, local.ownProcessGroups(), problem -> { });
        List<String> lines = new CopyOnWriteArrayList<>();
        LaunchedWorker worker = launcher.withStopGrace(Duration.ofSeconds(18)).launch(new LaunchSpec(
                List.of("sh", "-c", "trap 'sleep 1; exit 0' TERM; echo \"mark $DA_GENERATION\"; read never"), dir,
                Map.of(), null), (stream, line) -> lines.add(line)).toCompletableFuture()
                .get(LIMIT_SECONDS, TimeUnit.SECONDS);
        started.add(worker);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(LIMIT_SECONDS);
        while (lines.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(lines).containsExactly("mark " + journal.mark().id());

        WorkerJournal.Contents written = WorkerJournal.read(file);
        assertThat(written.entries()).extracting(WorkerJournal.Entry::pid).containsExactly(worker.pid());
        assertThat(written.graceMillis()).isEqualTo(18_000);
        WorkerJournal.Contents unlisted = new WorkerJournal.Contents(List.of(), null, written.mark(),
                written.graceMillis());

        List<String> log = new ArrayList<>();
        new PreviousGeneration("the previous relay", line -> log.add("INFO " + line), line -> log.add("WARN " + line))
                .settle(unlisted);
        ExitStatus status = worker.exit().toCompletableFuture().get(LIMIT_SECONDS, TimeUnit.SECONDS);
        assertThat(status.code()).as("ended by itself within its grace: " + status).isEqualTo(0);
        assertThat(log).first().asString().startsWith("WARN 1 process of the previous relay not in its journal (pid "
                + worker.pid() + ")");
        assertThat(log).contains("INFO Waiting up to 18 s for 1 process of the previous relay (pid " + worker.pid()
                + ") to end");
    }
}
