package org.distarch.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.distarch.worker.WorkerRunner;
import org.distarch.worker.protocol.LogLevel;
import org.distarch.worker.protocol.WorkerLine;
import org.distarch.worker.protocol.WorkerLineCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** ScriptedWorker steps run in-process through the worker runtime, with in-memory streams. */
@Timeout(30)
class ScriptedWorkerTest {

    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private final TestStdin stdin = new TestStdin();
    private final List<Integer> exits = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeStdin() {
        stdin.close();
    }

    private int run(String... steps) {
        return run(stdout, steps);
    }

    private int run(OutputStream out, String... steps) {
        return runJson(out, "[" + String.join(",", quoted(steps)) + "]");
    }

    private int runJson(OutputStream out, String scriptJson) {
        Map<String, String> env = new HashMap<>();
        env.put("DA_ID", "7");
        env.put("DA_GROUP_ID", "2");
        env.put("DA_GROUP_COUNT", "3");
        env.put("DA_GROUP_NAME", "Test Group");
        env.put("DA_HOST", "node-1");
        env.put("DA_PARAMS", "{\"color\":\"blue\",\"n\":5,\"script\":" + scriptJson + "}");
        return WorkerRunner.run(new ScriptedWorker(exits::add), env, stdin,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(stderr, true, StandardCharsets.UTF_8));
    }

    private static List<String> quoted(String... steps) {
        List<String> quoted = new ArrayList<>();
        for (String step : steps) {
            quoted.add("\"" + step.replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
        }
        return quoted;
    }

    private List<String> lines() {
        return List.of(stdout.toString(StandardCharsets.UTF_8).split("\n"));
    }

    @Test
    void printWritesNumberedLines() {
        assertThat(run("print 3")).isZero();

        assertThat(lines()).containsExactly("line 1", "line 2", "line 3", "@@distarch ended");
    }

    @Test
    void printFloodsAMillionLines() {
        // How fast is the log benchmark's business (bin/bench), not a unit test's: here only that every line comes.
        CountingStream counter = new CountingStream();
        assertThat(run(counter, "print 1000000")).isZero();

        assertThat(counter.newlines.get()).isEqualTo(1_000_001); // and the ended line
    }

    @Test
    void sayExpandsPlaceholders() {
        run("say I am {id} ({groupId}/{groupCount}) of {group} on {host}: {param:color} {param:n} [{param:none}] {other} {",
                "say {id}{id}");

        assertThat(lines()).containsExactly(
                "I am 7 (2/3) of Test Group on node-1: blue 5 [] {other} {", "77", "@@distarch ended");
    }

    @Test
    void logUsesTheLoggerWithItsLevel() {
        run("log warn careful {id}", "log ERROR broken", "log debug");

        assertThat(lines().stream().map(WorkerLineCodec::parse)).containsExactly(
                new WorkerLine.Log(LogLevel.WARN, "careful 7"),
                new WorkerLine.Log(LogLevel.ERROR, "broken"),
                new WorkerLine.Log(LogLevel.DEBUG, ""),
                new WorkerLine.Ended());
    }

    @Test
    void sleepEndsTheScriptWhenAStopIsAsked() throws Exception {
        CompletableFuture<Integer> code = CompletableFuture.supplyAsync(
                () -> run("say ready", "sleep 30", "say not reached"));
        waitForOutput("ready");
        stdin.send("stop");

        assertThat(code.get(5, TimeUnit.SECONDS)).isZero();
        assertThat(lines()).containsExactly("ready", "@@distarch ended");
    }

    @Test
    void sleepRunsItsCourseWithoutStop() {
        long start = System.nanoTime();
        run("sleep 0.3", "say after");

        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(300));
        // nothing was printed before: the sleep pings first
        assertThat(lines()).containsExactly("@@distarch ping", "after", "@@distarch ended");
    }

    @Test
    void workPrintsEverySecond() {
        run("work 1.5", "say done");

        assertThat(lines()).containsExactly("working 7", "working 7", "done", "@@distarch ended");
    }

    @Test
    void exitStopsTheScriptWithItsCode() {
        run("say before", "exit 7", "say after");

        assertThat(exits).containsExactly(7);
        assertThat(lines()).startsWith("before").doesNotContain("after");
    }

    @Test
    void crashPrintsAndExits3() {
        run("crash", "say after");

        assertThat(exits).containsExactly(3);
        assertThat(lines()).startsWith("crashing").doesNotContain("after");
    }

    @Test
    void aBadScriptRunsNothingAndExits4() {
        run("say first", "jump 3");

        assertThat(exits).containsExactly(4);
        assertThat(WorkerLineCodec.parse(lines().get(0))).isEqualTo(
                new WorkerLine.Log(LogLevel.ERROR, "Bad script: step 2 'jump 3': unknown step"));
        assertThat(lines()).doesNotContain("first");
    }

    @Test
    void aMissingScriptExits4() {
        runJson(stdout, "null");

        assertThat(exits).containsExactly(4);
        assertThat(lines().get(0)).contains("params.script is missing");
    }

    @Test
    void aScriptMayBeOneStringWithAStepPerLine() {
        runJson(stdout, "\"say one\\n\\nsay two\\n\"");

        assertThat(lines()).containsExactly("one", "two", "@@distarch ended");
    }

    @Test
    void garbageWritesRawBytes() {
        run("garbage");

        byte[] bytes = stdout.toByteArray();
        String latin1 = new String(bytes, StandardCharsets.ISO_8859_1);
        assertThat(latin1).contains("\u00c3(\u00ff\u00fe\u0080", "\u0000nul\u0000", "\u001b[31mred\u001b[0m", "cr\rx")
                .endsWith("\nafter-garbage\n@@distarch ended\n");
    }

    @Test
    void hugeLineWritesOneLongLineThenAMarker() {
        run("huge-line 200000");

        assertThat(lines()).containsExactly("x".repeat(200_000), "after-huge", "@@distarch ended");
    }

    @Test
    void pidFileAppendsThisProcessPid(@TempDir Path dir) throws Exception {
        String path = dir.resolve("pids/worker-{id}.pid").toString();
        run("pid-file " + path, "pid-file " + path);

        long pid = ProcessHandle.current().pid();
        assertThat(Files.readString(dir.resolve("pids/worker-7.pid"))).isEqualTo(pid + "\n" + pid + "\n");
    }

    private void waitForOutput(String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!stdout.toString(StandardCharsets.UTF_8).contains(text)) {
            assertThat(System.nanoTime()).as("waiting for " + text).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    /** Counts newlines without keeping the bytes. */
    private static final class CountingStream extends OutputStream {
        final AtomicLong newlines = new AtomicLong();

        @Override
        public void write(int b) {
            if (b == '\n') {
                newlines.incrementAndGet();
            }
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            long count = 0;
            for (int i = offset; i < offset + length; i++) {
                if (bytes[i] == '\n') {
                    count++;
                }
            }
            newlines.addAndGet(count);
        }
    }
}
