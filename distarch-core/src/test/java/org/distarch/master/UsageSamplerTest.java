package org.distarch.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.distarch.control.MasterStatus;
import org.distarch.control.ProcessStatus;
import org.distarch.launch.Usage;
import org.junit.jupiter.api.Test;

/** When a status waits for /proc and when it is answered from the last sample, on a fake clock and reader. */
class UsageSamplerTest {

    private static final long MS = 1_000_000L;

    /** The reader's tasks, run when the test says. */
    private final Queue<Runnable> tasks = new ArrayDeque<>();
    private final Executor reader = tasks::add;
    private long now = 1_000 * MS;
    private final UsageSampler sampler = new UsageSampler(reader, () -> now);

    /** What each pid's reading gives, and how many readings were made. */
    private final Map<Long, Usage> figures = new ConcurrentHashMap<>();
    private final AtomicInteger reads = new AtomicInteger();

    private UsageSampler.Running running(int id, long pid) {
        return new UsageSampler.Running(id, pid, () -> {
            reads.incrementAndGet();
            return figures.getOrDefault(pid, Usage.UNKNOWN);
        });
    }

    /** Process 1 runs as {@code pid1}, process 2 as 202, process 3 does not run. */
    private UsageSampler.Snapshot snapshot(long pid1) {
        List<ProcessStatus> processes = List.of(row(1, pid1), row(2, 202), row(3, 0));
        return new UsageSampler.Snapshot(new MasterStatus(7, 0, "t.yaml", false, List.of(), processes),
                List.of(running(1, pid1), running(2, 202)));
    }

    private static ProcessStatus row(int id, long pid) {
        return new ProcessStatus(id, "G", "localhost", "p/" + id + "/1", pid > 0 ? "RUNNING" : "STOPPED", pid, 0, 0,
                0, null, 0, 0);
    }

    private static List<Long> rss(CompletableFuture<MasterStatus> status) throws Exception {
        return status.get(10, TimeUnit.SECONDS).processes().stream().map(ProcessStatus::rssBytes).toList();
    }

    private void runReader() {
        while (!tasks.isEmpty()) {
            tasks.poll().run();
        }
    }

    @Test
    void theFirstStatusWaitsForAReadingAndCarriesItsFigures() throws Exception {
        figures.put(101L, new Usage(10, 1000));
        figures.put(202L, new Usage(20, 2000));
        CompletableFuture<MasterStatus> status = sampler.complete(snapshot(101));
        assertThat(status).isNotDone();
        runReader();
        assertThat(rss(status)).containsExactly(1000L, 2000L, 0L);
        assertThat(status.get().processes().get(1).cpuMillis()).isEqualTo(20);
    }

    @Test
    void aSampleYoungerThanASecondAnswersAtOnceWithoutReading() throws Exception {
        figures.put(101L, new Usage(10, 1000));
        sampler.complete(snapshot(101));
        runReader();
        int before = reads.get();
        now += 400 * MS;
        figures.put(101L, new Usage(11, 1100));
        CompletableFuture<MasterStatus> status = sampler.complete(snapshot(101));
        assertThat(status).isDone();
        assertThat(tasks).isEmpty();
        assertThat(reads.get()).isEqualTo(before);
        assertThat(rss(status)).containsExactly(1000L, 0L, 0L);
    }

    @Test
    void anOlderSampleAnswersAtOnceAndIsReadAgainInTheBackground() throws Exception {
        figures.put(101L, new Usage(10, 1000));
        sampler.complete(snapshot(101));
        runReader();
        now += 1_500 * MS;
        figures.put(101L, new Usage(11, 1100));
        CompletableFuture<MasterStatus> stale = sampler.complete(snapshot(101));
        assertThat(stale).isDone();
        assertThat(rss(stale)).containsExactly(1000L, 0L, 0L);
        assertThat(tasks).hasSize(1);
        runReader();
        assertThat(rss(sampler.complete(snapshot(101)))).containsExactly(1100L, 0L, 0L);
    }

    @Test
    void aSampleOlderThanTheMaximumAgeIsReadAgainBeforeTheAnswer() throws Exception {
        figures.put(101L, new Usage(10, 1000));
        sampler.complete(snapshot(101));
        runReader();
        now += UsageSampler.MAX_AGE_NANOS + MS;
        figures.put(101L, new Usage(12, 1200));
        CompletableFuture<MasterStatus> status = sampler.complete(snapshot(101));
        assertThat(status).isNotDone();
        runReader();
        assertThat(rss(status)).containsExactly(1200L, 0L, 0L);
    }

    @Test
    void aProcessStartedSinceTheSampleIsReadAloneBeforeTheAnswer() throws Exception {
        figures.put(101L, new Usage(10, 1000));
        figures.put(202L, new Usage(20, 2000));
        sampler.complete(snapshot(101));
        runReader();
        int before = reads.get();
        now += 100 * MS;
        figures.put(103L, new Usage(1, 300)); // process 1 restarted as pid 103: 101's figures are not its own
        figures.put(202L, new Usage(21, 2100));
        CompletableFuture<MasterStatus> status = sampler.complete(snapshot(103));
        assertThat(status).isNotDone();
        runReader();
        assertThat(rss(status)).containsExactly(300L, 2000L, 0L);
        assertThat(reads.get() - before).isEqualTo(1);
        assertThat(sampler.complete(snapshot(103))).isDone(); // the new process is in the sample now
    }

    @Test
    void statusesAskedDuringAReadingShareIt() throws Exception {
        CompletableFuture<MasterStatus> first = sampler.complete(snapshot(101));
        CompletableFuture<MasterStatus> second = sampler.complete(snapshot(101));
        assertThat(tasks).hasSize(1);
        runReader();
        assertThat(first).isDone();
        assertThat(second).isDone();
        assertThat(reads.get()).isEqualTo(2); // two processes, read once each
    }

    @Test
    void aWorkerWhoseReadingFailsCountsAsUnknownAndTheOthersAreRead() throws Exception {
        figures.put(202L, new Usage(20, 2000));
        UsageSampler.Running broken = new UsageSampler.Running(1, 101, () -> {
            throw new IllegalStateException("gone");
        });
        CompletableFuture<MasterStatus> status = sampler.complete(new UsageSampler.Snapshot(
                snapshot(101).status(), List.of(broken, running(2, 202))));
        runReader();
        assertThat(rss(status)).containsExactly(0L, 2000L, 0L);
    }

    @Test
    void aFleetWithoutRunningProcessesIsAnsweredAtOnce() {
        MasterStatus none = new MasterStatus(7, 0, "t.yaml", false, List.of(), List.of(row(3, 0)));
        assertThat(sampler.complete(new UsageSampler.Snapshot(none, List.of()))).isDone();
        assertThat(tasks).isEmpty();
    }

    @Test
    void theReadersThreadAnswersAndOnceClosedAStatusFailsAsTheMasterHasEnded() throws Exception {
        figures.put(101L, new Usage(10, 1000));
        UsageSampler own = new UsageSampler();
        try {
            assertThat(rss(own.complete(snapshot(101)))).containsExactly(1000L, 0L, 0L);
        } finally {
            own.close();
        }
        CompletableFuture<MasterStatus> after = own.complete(snapshot(102)); // a new pid: must be read
        assertThatThrownBy(() -> after.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasMessageContaining("the master has ended");
    }
}
