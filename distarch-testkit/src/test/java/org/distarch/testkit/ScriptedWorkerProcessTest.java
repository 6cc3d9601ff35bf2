package org.distarch.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.distarch.worker.protocol.LogLevel;
import org.distarch.worker.protocol.WorkerLine;
import org.distarch.worker.protocol.WorkerLineCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** ScriptedWorkerMain as a real process: signals, stdin, exit codes, output volume. */
@Timeout(60)
class ScriptedWorkerProcessTest {

    private LaunchedWorker worker;

    @AfterEach
    void noProcessLeft() throws Exception {
        if (worker != null) {
            worker.close();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (ProcessHandle.current().children().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList()).isEmpty();
    }

    private LaunchedWorker start(String... steps) throws Exception {
        return start(Map.of(), steps);
    }

    private LaunchedWorker start(Map<String, String> extraEnv, String... steps) throws Exception {
        StringBuilder script = new StringBuilder("{\"script\":[");
        for (int i = 0; i < steps.length; i++) {
            script.append(i == 0 ? "" : ",").append('"').append(steps[i]).append('"');
        }
        Map<String, String> env = LaunchedWorker.identity(5, script.append("]}").toString());
        env.putAll(extraEnv);
        worker = LaunchedWorker.java(env);
        return worker;
    }

    @Test
    void sigtermEndsASleepCleanly() throws Exception {
        start("say ready", "sleep 60", "say not reached");
        worker.awaitLine("ready", 20);
        worker.terminate();

        assertThat(worker.awaitExit(10)).isZero();
        assertThat(worker.stdout()).containsExactly(
                "ready", "@@distarch log info Received SIGTERM, stopping", "@@distarch ended");
    }

    @Test
    void stopOnStdinEndsASleepCleanly() throws Exception {
        start("say ready", "work 60");
        worker.awaitLine("ready", 20);
        worker.send("stop");

        assertThat(worker.awaitExit(10)).isZero();
        assertThat(worker.stdout()).startsWith("ready", "working 5").endsWith("@@distarch ended");
    }

    @Test
    void closedStdinEndsTheWorker() throws Exception {
        start("say ready", "sleep 60");
        worker.awaitLine("ready", 20);
        worker.closeStdin();

        assertThat(worker.awaitExit(10)).isZero();
        assertThat(worker.stdout()).endsWith("@@distarch ended");
    }

    /** An orphan that ignores every stop request is halted after DA_ORPHAN_GRACE: nothing survives a dead master. */
    @Test
    void anOrphanIgnoringStopIsHaltedWithExit3() throws Exception {
        start(Map.of("DA_ORPHAN_GRACE", "0.5"), "ignore-term", "say ready", "hang");
        worker.awaitLine("ready", 20);
        worker.closeStdin();

        assertThat(worker.awaitExit(10)).isEqualTo(3);
        assertThat(worker.stdout()).anyMatch(line -> line.contains("Master gone (stdin closed)"));
    }

    @Test
    void ignoreTermSurvivesSigtermAndStop() throws Exception {
        start("ignore-term", "say ready", "sleep 60");
        worker.awaitLine("ready", 20);
        worker.terminate();
        worker.send("stop");
        Thread.sleep(1_000);

        assertThat(worker.alive()).isTrue();
        assertThat(worker.stdout()).doesNotContain("@@distarch ended");
    }

    @Test
    void exitCodes() throws Exception {
        start("say x", "exit 7");
        assertThat(worker.awaitExit(20)).isEqualTo(7);
        assertThat(worker.stdout()).containsExactly("x");
        worker.close();

        start("crash");
        assertThat(worker.awaitExit(20)).isEqualTo(3);
        assertThat(worker.stdout()).containsExactly("crashing");
        worker.close();

        start("say x", "bogus");
        assertThat(worker.awaitExit(20)).isEqualTo(4);
        assertThat(WorkerLineCodec.parse(worker.stdout().get(0))).isEqualTo(
                new WorkerLine.Log(LogLevel.ERROR, "Bad script: step 2 'bogus': unknown step"));
    }

    @Test
    void withoutAMasterItRefusesToRun() throws Exception {
        worker = LaunchedWorker.java(Map.of());

        assertThat(worker.awaitExit(20)).isEqualTo(2);
        assertThat(worker.stderr()).containsExactly("test:scripted is a distarch worker command: it runs under a "
                + "master. Start it with `run-master` and a configuration whose group runs it.");
    }

    @Test
    void aMillionLinesFlowThrough() throws Exception {
        // Their speed is the log benchmark's (bin/bench); here, that every line arrives whole and in order.
        start("say begin", "print 1000000", "say end");
        worker.awaitLine("begin", 20);
        worker.awaitLine("end", 60);

        assertThat(worker.awaitExit(10)).isZero();
        List<String> lines = worker.stdout();
        assertThat(lines.size()).isEqualTo(1_000_003);
        assertThat(lines.get(1)).isEqualTo("line 1");
        assertThat(lines.get(1_000_000)).isEqualTo("line 1000000");
    }

    @Test
    void forkChildStartsADescendant() throws Exception {
        start("fork-child 60", "say ready", "sleep 60");
        worker.awaitLine("ready", 20);
        String line = worker.awaitLine(l -> l.startsWith("child "), 1);
        long childPid = Long.parseLong(line.substring("child ".length()));

        assertThat(ProcessHandle.of(worker.pid()).orElseThrow().descendants().map(ProcessHandle::pid))
                .contains(childPid);
    }

    @Test
    void garbageIsWrittenAsRawBytes() throws Exception {
        start("garbage", "huge-line 100000");

        assertThat(worker.awaitExit(20)).isZero();
        List<String> lines = worker.stdout();
        assertThat(lines.get(0)).contains("\u001b[31mred\u001b[0m", "\u0000nul\u0000", "cr\rx", "\uFFFD");
        assertThat(lines.get(1)).isEqualTo("after-garbage");
        assertThat(lines.get(2).length()).isEqualTo(100_000);
        assertThat(lines.get(2)).matches("x+");
        assertThat(lines.subList(3, lines.size())).containsExactly("after-huge", "@@distarch ended");
    }
}
