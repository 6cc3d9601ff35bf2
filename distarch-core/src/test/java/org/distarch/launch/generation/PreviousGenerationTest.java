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
        return worker(null, traps, body);
    }

    /** The same, with {@code DA_GENERATION=mark} in its environment when {@code mark} is not null. */
    private Process worker(String mark, String traps, String body) throws Exception {
        ProcessBuilder b = new ProcessBuilder("setsid", "sh", "-c", traps + "\n echo ready >&2; exec 2>/dev/null; "
                + body).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        if (mark != null) {
            b.environment().put("DA_GENERATION", mark);
        }
        Process p = b.start();
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

    /**
     * Regression (soak, seed 466233445): a relay killed between a spawn and its journal line, and before setpriv
     * set the child's parent-death signal, left a worker nobody listed and nobody signalled; the next relay
     * started a second copy beside it, and it outlived the master's stop.
     */
    @Test
    void aWorkerTheJournalNeverListedIsFoundByItsMarkAndGetsTheJournalsGrace() throws Exception {
        GenerationMark mark = new GenerationMark("00c0ffee00c0ffee", 0);
        // It forks nothing before the TERM: a child would carry the mark too, and be found and waited for with it.
        Process p = worker(mark.id(), "trap 'sleep 1; exit 0' TERM", "read never");
        settler.settle(new WorkerJournal.Contents(List.of(), null, mark, 18_000));
        assertThat(p.waitFor(5, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("it finished within the grace").isZero();
        assertThat(log).containsExactly(
                "WARN 1 process of the previous master not in its journal (pid " + p.pid() + ") carry its "
                        + "DA_GENERATION mark: started as it died, before it could list them",
                "INFO Waiting up to 18 s for 1 process of the previous master (pid " + p.pid() + ") to end",
                "INFO The process of the previous master has ended (pid " + p.pid() + ")");
    }

    /**
     * The children of a worker that is signalled anyway are its own to end: not signalled one by one, and not
     * reported as unlisted workers.
     */
    @Test
    void theMarkedChildrenOfAListedWorkerAndOfAFoundOneAreLeftToThem() throws Exception {
        GenerationMark mark = new GenerationMark("00c0ffee00c0ffe2", 0);
        Path out = java.nio.file.Files.createTempFile("children", ".txt");
        // Each ends its child itself on TERM, with USR1: a TERM from the settler would show as 143 in the file.
        String body = "sleep 300 & c=$!; trap 'kill -USR1 $c; wait $c; echo \"$? $$\" >> " + out + "; exit 0' TERM;"
                + " echo armed >> " + out + "; read never";
        Process listed = worker(mark.id(), ":", body);
        Process found = worker(mark.id(), ":", body);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (java.nio.file.Files.readAllLines(out).size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        settler.settle(new WorkerJournal.Contents(List.of(entry(listed, 30_000)), null, mark, 30_000));
        assertThat(listed.waitFor(5, TimeUnit.SECONDS)).isTrue();
        assertThat(found.waitFor(5, TimeUnit.SECONDS)).isTrue();
        assertThat(java.nio.file.Files.readAllLines(out)).containsExactlyInAnyOrder("armed", "armed",
                "138 " + listed.pid(), "138 " + found.pid());
        assertThat(log).first().isEqualTo("WARN 1 process of the previous master not in its journal (pid "
                + found.pid() + ") carry its DA_GENERATION mark: started as it died, before it could list them");
        assertThat(log).contains("INFO Waiting up to 30 s for 2 processes of the previous master (pids "
                + listed.pid() + ", " + found.pid() + ") to end");
        java.nio.file.Files.deleteIfExists(out);
    }

    /** The mark is inherited: what an unlisted worker started is found even once that worker has ended. */
    @Test
    void whatAnUnlistedWorkerLeftBehindIsFoundByTheMarkItInherited() throws Exception {
        GenerationMark mark = new GenerationMark("00c0ffee00c0ffe1", 0);
        Process p = worker(mark.id(), ":", "sleep 300 & read never");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (p.descendants().findAny().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        ProcessHandle child = p.descendants().findFirst().orElseThrow();
        p.destroyForcibly();
        assertThat(p.waitFor(5, TimeUnit.SECONDS)).isTrue();
        settler.settle(new WorkerJournal.Contents(List.of(), null, mark, 500));
        assertThat(child.onExit().get(5, TimeUnit.SECONDS).isAlive()).isFalse();
        assertThat(log).first().asString().contains("not in its journal (pid " + child.pid() + ")");
    }

    @Test
    void anotherGenerationsWorkerAndAProcessOlderThanTheGenerationAreLeftAlone() throws Exception {
        Process other = worker("1111111111111111", ":", "read never");
        Process older = worker("2222222222222222", ":", "read never");
        long olderStart = ProcStat.of(older.pid()).orElseThrow().startTicks();
        // The generation began after "older" did: a process with its mark from before then is not its worker.
        settler.settle(new WorkerJournal.Contents(List.of(), null,
                new GenerationMark("2222222222222222", olderStart + 1), 500));
        assertThat(other.isAlive()).isTrue();
        assertThat(older.isAlive()).isTrue();
        assertThat(log).isEmpty();
    }

    @Test
    void anAbsentJournalMeansNothingToWaitFor() throws Exception {
        settler.settle(Path.of("/nonexistent/m.workers"));
        assertThat(log).isEmpty();
    }
}
