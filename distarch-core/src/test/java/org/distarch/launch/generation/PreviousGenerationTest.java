package org.distarch.launch.generation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Regression (issue 16, defect 1): what a new master or relay does with the workers of the one before it, with
 * real processes standing in for a previous generation's workers (each leads a process group, as with setsid).
 */
class PreviousGenerationTest {

    private final List<String> log = new ArrayList<>();
    private final List<Process> started = new ArrayList<>();
    private final PreviousGeneration settler = new PreviousGeneration("the previous master",
            line -> log.add("INFO " + line), line -> log.add("WARN " + line));

    @AfterEach
    void killLeftovers() {
        started.forEach(p -> p.descendants().forEach(ProcessHandle::destroyForcibly));
        started.forEach(Process::destroyForcibly);
    }

    /**
     * A worker in a session of its own, returned once its shell has set its traps: a SIGTERM sent before that
     * would meet the default action (exit 143), as it did under load.
     */
    private Process worker(String traps, String body) throws Exception {
        Process p = new ProcessBuilder("setsid", "sh", "-c", traps + "\n echo ready >&2; exec 2>/dev/null; " + body)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        started.add(p);
        String first = new java.io.BufferedReader(new java.io.InputStreamReader(p.getErrorStream())).readLine();
        assertThat(first).isEqualTo("ready");
        return p;
    }

    private static WorkerJournal.Entry entry(Process p, long graceMillis) {
        return new WorkerJournal.Entry(p.pid(), ProcStat.of(p.pid()).orElseThrow().startTicks(), p.pid(), graceMillis,
                "Slow/1/1");
    }

    @Test
    void aWorkerThatFinishesWithinItsGraceIsWaitedForAndNotKilled() throws Exception {
        Process p = worker("trap 'sleep 1; exit 0' TERM", "while :; do sleep 0.1; done");
        settler.settle(new WorkerJournal.Contents(List.of(entry(p, 30_000)), null));
        // settle returns once the worker is dead, a zombie included: the JDK's reaper may not have seen it yet
        assertThat(p.waitFor(5, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(log).hasSize(2);
        assertThat(log.get(0)).isEqualTo("INFO Waiting up to 30 s for 1 process of the previous master (pid "
                + p.pid() + ") to end");
        assertThat(log.get(1)).isEqualTo("INFO The process of the previous master has ended (pid " + p.pid() + ")");
    }

    @Test
    void aWorkerDeafToSigtermIsKilledWithItsGroupAfterTheGrace() throws Exception {
        Process p = worker("trap '' TERM; sleep 300 &", "while :; do sleep 0.1; done");
        List<ProcessHandle> children = p.descendants().toList();
        assertThat(children).as("its sleep").isNotEmpty();
        settler.settle(new WorkerJournal.Contents(List.of(entry(p, 500)), null));
        assertThat(p.waitFor(5, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(128 + 9);
        for (ProcessHandle child : children) {
            assertThat(child.onExit().get(5, TimeUnit.SECONDS).isAlive()).isFalse();
        }
        assertThat(log).last().isEqualTo("INFO Killed 1 process of the previous master that outlived the grace (pid "
                + p.pid() + ")");
    }

    @Test
    void aStoppedWorkerIsWokenToHearItsSigterm() throws Exception {
        Process p = worker("trap 'exit 0' TERM", "while :; do sleep 0.1; done");
        new ProcessBuilder("kill", "-STOP", "--", "-" + p.pid()).start().waitFor();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!ProcStat.of(p.pid()).orElseThrow().stopped() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        settler.settle(new WorkerJournal.Contents(List.of(entry(p, 30_000)), null));
        // settle returns once the worker is dead, a zombie included: the JDK's reaper may not have seen it yet
        assertThat(p.waitFor(5, TimeUnit.SECONDS)).isTrue();
        assertThat(log).last().asString().startsWith("INFO The process of the previous master has ended");
    }

    @Test
    void aLaterProcessWithTheSamePidIsLeftAlone() throws Exception {
        Process p = worker(":", "while :; do sleep 0.1; done");
        WorkerJournal.Entry e = entry(p, 100);
        WorkerJournal.Entry reused = new WorkerJournal.Entry(e.pid(), e.startTicks() - 1, e.group(), 100, "Slow/1/1");
        settler.settle(new WorkerJournal.Contents(List.of(reused), null));
        assertThat(p.isAlive()).isTrue();
        assertThat(log).isEmpty();
    }

    @Test
    void anAbsentJournalMeansNothingToWaitFor() throws Exception {
        settler.settle(Path.of("/nonexistent/m.workers"));
        assertThat(log).isEmpty();
    }
}
