package org.distarch.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.distarch.worker.protocol.LogLevel;
import org.distarch.worker.protocol.WorkerLine;
import org.distarch.worker.protocol.WorkerLineCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class WorkerRunnerTest {

    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private final TestStdin stdin = new TestStdin();
    private final List<Integer> halts = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeStdin() {
        stdin.close();
    }

    private static Map<String, String> env(String... keyValues) {
        Map<String, String> env = new HashMap<>();
        env.put("DA_ID", "7");
        env.put("DA_GROUP_ID", "2");
        env.put("DA_GROUP_COUNT", "3");
        env.put("DA_GROUP_NAME", "First Group");
        env.put("DA_TIMEOUT", "30");
        for (int i = 0; i < keyValues.length; i += 2) {
            if (keyValues[i + 1] == null) {
                env.remove(keyValues[i]);
            } else {
                env.put(keyValues[i], keyValues[i + 1]);
            }
        }
        return env;
    }

    private int run(WorkerCommand command, Map<String, String> env) {
        return WorkerRunner.run(command, env, stdin, stdout, stderr, SessionOptions.inMemory(halts::add));
    }

    private List<String> outLines() {
        String text = stdout.toString(StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        assertThat(lines.remove(lines.size() - 1)).as("output ends with a newline").isEmpty();
        return lines;
    }

    private List<WorkerLine> parsedLines() {
        return outLines().stream().map(WorkerLineCodec::parse).toList();
    }

    private static WorkerCommand command(ThrowingBody body) {
        return new WorkerCommand() {
            @Override
            public String name() {
                return "app:test";
            }

            @Override
            protected void runWorker(WorkerContext context) throws Exception {
                body.run(context);
            }
        };
    }

    interface ThrowingBody {
        void run(WorkerContext context) throws Exception;
    }

    @Test
    void missingIdReturns2WithAMessageAndRunsNothing() {
        boolean[] ran = {false};
        int code = run(command(c -> ran[0] = true), env("DA_ID", null));

        assertThat(code).isEqualTo(2);
        assertThat(ran[0]).isFalse();
        assertThat(stderr.toString(StandardCharsets.UTF_8)).isEqualTo(
                "app:test is a distarch worker command: it runs under a master. Start it with `run-master` "
                        + "and a configuration whose group runs it.\n");
        assertThat(stdout.size()).isZero();
    }

    @Test
    void invalidIdentityReturns2NamingTheVariable() {
        int code = run(command(c -> { }), env("DA_ID", "seven"));

        assertThat(code).isEqualTo(2);
        assertThat(stderr.toString(StandardCharsets.UTF_8)).contains("DA_ID must be an integer, got 'seven'");
    }

    @Test
    void identityAndParamsComeFromTheEnvironment() {
        AtomicReference<WorkerContext> seen = new AtomicReference<>();
        AtomicReference<List<Object>> values = new AtomicReference<>();
        int code = run(command(c -> {
            seen.set(c);
            values.set(List.of(c.id(), c.groupId(), c.groupCount(), c.groupName(), c.host(), c.timeout()));
        }), env("DA_HOST", "server-1", "DA_TIMEOUT", "45",
                "DA_PARAMS", "{\"b\":\"x\",\"a\":2,\"flag\":true,\"list\":[1,\"two\"],\"map\":{\"k\":\"v\"}}"));

        assertThat(code).isZero();
        assertThat(values.get()).containsExactly(7, 2, 3, "First Group", "server-1", Duration.ofSeconds(45));
        Map<String, Object> params = seen.get().params();
        assertThat(params.keySet()).containsExactly("b", "a", "flag", "list", "map");
        assertThat(params).containsEntry("b", "x").containsEntry("a", 2).containsEntry("flag", true)
                .containsEntry("list", List.of(1, "two")).containsEntry("map", Map.of("k", "v"));
    }

    @Test
    void theGroupViewCarriesWhatTheEnvironmentSays() {
        AtomicReference<GroupView> group = new AtomicReference<>();
        int code = run(command(c -> group.set(c.group())), env("DA_GROUP_COMMAND", "app:test --fast",
                "DA_PATH", "/srv/app", "DA_BIN_PATH", "/usr/bin/php7", "DA_PRIORITY", "-5", "DA_TIMEOUT", "12.5",
                "DA_PARAMS", "{\"Param1\":\"Value1\",\"n\":3}"));

        assertThat(code).isZero();
        assertThat(group.get()).isEqualTo(new GroupView("First Group", "app:test --fast", Optional.of("/srv/app"),
                Optional.of("/usr/bin/php7"), OptionalInt.of(-5), Duration.ofMillis(12_500),
                Map.of("Param1", "Value1", "n", 3)));
        assertThat(group.get().params().keySet()).containsExactly("Param1", "n");
    }

    @Test
    void unsetGroupSettingsAreEmptyAndTheCommandDefaultsToTheWorkersName() {
        AtomicReference<GroupView> group = new AtomicReference<>();
        run(command(c -> group.set(c.group())), env("DA_GROUP_NAME", null, "DA_TIMEOUT", null));

        assertThat(group.get()).isEqualTo(new GroupView("", "app:test", Optional.empty(), Optional.empty(),
                OptionalInt.empty(), Duration.ofSeconds(30), Map.of()));
    }

    @Test
    void stopSelfEndsTheLoopLikeAMasterStopAndExits0() {
        AtomicReference<Integer> loops = new AtomicReference<>(0);
        AtomicReference<List<Boolean>> after = new AtomicReference<>();
        int code = run(command(c -> {
            while (c.sleep(Duration.ofMillis(10))) {
                loops.set(loops.get() + 1);
                if (loops.get() == 3) {
                    c.stopSelf();
                }
            }
            c.stopSelf(); // a second call is harmless
            after.set(List.of(c.mustStop(), c.awaitStop(Duration.ZERO), c.sleep(Duration.ofSeconds(30)),
                    c.masterGone()));
        }), env());

        assertThat(code).isZero();
        assertThat(loops.get()).isEqualTo(3);
        assertThat(after.get()).containsExactly(true, true, false, false);
        assertThat(outLines()).as("nothing but the first sleep's ping, then ended")
                .containsExactly("@@distarch ping", "@@distarch ended");
        assertThat(halts).isEmpty();
    }

    @Test
    void stopSelfFromAnotherThreadWakesASleepingWorker() throws Exception {
        AtomicReference<Boolean> slept = new AtomicReference<>();
        AtomicReference<WorkerContext> context = new AtomicReference<>();
        CompletableFuture<Integer> code = CompletableFuture.supplyAsync(() -> run(command(c -> {
            context.set(c);
            slept.set(c.sleep(Duration.ofSeconds(30)));
        }), env()));
        while (context.get() == null) {
            Thread.sleep(5);
        }
        context.get().stopSelf();

        assertThat(code.get(5, TimeUnit.SECONDS)).isZero();
        assertThat(slept.get()).isFalse();
        assertThat(outLines()).endsWith("@@distarch ended");
    }

    @Test
    void loggerLinesCarryTheirLevels() {
        int code = run(command(c -> {
            c.logger().trace("t");
            c.logger().debug("d {}", 1);
            c.logger().info("i {} {}", 1, 2);
            c.logger().warn("w {} {} {}", 1, 2, 3);
            c.logger().error("e");
            c.logger().atWarn().addKeyValue("job", 42).log("with context");
            c.logger().atInfo().log("fluent {} {}", "a", 2);
            c.out().println("plain");
        }), env());

        assertThat(code).isZero();
        assertThat(parsedLines()).containsExactly(
                new WorkerLine.Log(LogLevel.TRACE, "t"),
                new WorkerLine.Log(LogLevel.DEBUG, "d 1"),
                new WorkerLine.Log(LogLevel.INFO, "i 1 2"),
                new WorkerLine.Log(LogLevel.WARN, "w 1 2 3"),
                new WorkerLine.Log(LogLevel.ERROR, "e"),
                new WorkerLine.Log(LogLevel.WARN, "with context", Map.of("job", "42")),
                new WorkerLine.Log(LogLevel.INFO, "fluent a 2"),
                new WorkerLine.Output("plain"),
                new WorkerLine.Ended());
        assertThat(outLines().get(1)).isEqualTo("@@distarch log debug d 1");
    }

    @Test
    void loggedExceptionsCarryTheirStackTrace() {
        run(command(c -> c.logger().warn("it broke", new IllegalStateException("boom"))), env());

        WorkerLine.Log log = (WorkerLine.Log) parsedLines().get(0);
        assertThat(log.level()).isEqualTo(LogLevel.WARN);
        assertThat(log.message()).startsWith("it broke\njava.lang.IllegalStateException: boom\n\tat ")
                .contains(WorkerRunnerTest.class.getName());
    }

    @Test
    void cleanReturnEndsWithEndedAndExit0() {
        int code = run(command(c -> c.out().print("partial, no newline")), env());

        assertThat(code).isZero();
        assertThat(outLines()).containsExactly("partial, no newline", "@@distarch ended");
    }

    @Test
    void anExceptionIsLoggedAtErrorLevelAndExits1WithoutEnded() {
        int code = run(command(c -> {
            throw new IllegalArgumentException("bad input");
        }), env());

        assertThat(code).isEqualTo(1);
        List<WorkerLine> lines = parsedLines();
        assertThat(lines).hasSize(1);
        WorkerLine.Log log = (WorkerLine.Log) lines.get(0);
        assertThat(log.level()).isEqualTo(LogLevel.ERROR);
        assertThat(log.message())
                .startsWith("app:test failed: java.lang.IllegalArgumentException: bad input\n"
                        + "java.lang.IllegalArgumentException: bad input\n\tat ");
    }

    @Test
    void stopOnStdinMakesSleepReturnFalse() throws Exception {
        AtomicReference<Boolean> slept = new AtomicReference<>();
        AtomicReference<Boolean> gone = new AtomicReference<>();
        CompletableFuture<Integer> code = CompletableFuture.supplyAsync(() -> run(command(c -> {
            c.out().println("ready");
            slept.set(c.sleep(Duration.ofSeconds(30)));
            gone.set(c.masterGone());
            assertThat(c.mustStop()).isTrue();
            assertThat(c.sleep(Duration.ofSeconds(30))).as("returns at once once stop was asked").isFalse();
        }), env()));
        waitForOutput("ready");
        stdin.send("stop");

        assertThat(code.get(5, TimeUnit.SECONDS)).isZero();
        assertThat(slept.get()).isFalse();
        assertThat(gone.get()).isFalse();
        assertThat(outLines()).endsWith("@@distarch ended");
        assertThat(halts).isEmpty();
    }

    @Test
    void otherStdinLinesAreIgnored() {
        stdin.send("hello");
        stdin.send("stopping");
        AtomicReference<Boolean> slept = new AtomicReference<>();
        run(command(c -> slept.set(c.sleep(Duration.ofMillis(300)))), env());

        assertThat(slept.get()).isTrue();
    }

    @Test
    void stdinEofSetsMasterGoneAndAsksStop() {
        AtomicReference<Boolean> slept = new AtomicReference<>();
        AtomicReference<Boolean> gone = new AtomicReference<>();
        int code = WorkerRunner.run(command(c -> {
            slept.set(c.sleep(Duration.ofSeconds(30)));
            gone.set(c.masterGone());
        }), env(), new ByteArrayInputStream(new byte[0]), stdout, stderr,
                SessionOptions.inMemory(halts::add));

        assertThat(code).isZero();
        assertThat(slept.get()).isFalse();
        assertThat(gone.get()).isTrue();
        assertThat(halts).as("the worker returned within the grace").isEmpty();
    }

    @Test
    void anOrphanThatDoesNotReturnIsHaltedWithCode3() throws Exception {
        stdin.close();
        int code = run(command(c -> {
            while (halts.isEmpty()) {
                Thread.sleep(20); // ignores the stop, like a stuck worker
            }
        }), env("DA_ORPHAN_GRACE", "0.2"));

        assertThat(halts).containsExactly(3);
        assertThat(code).isZero();
        assertThat(stdout.toString(StandardCharsets.UTF_8)).contains("Master gone (stdin closed)");
    }

    @Test
    void sleepPingsWhileSleepingLong() {
        // DA_TIMEOUT 3 s: ping interval clamp(3/3, 1 s, 5 s) = 1 s
        int code = run(command(c -> {
            c.out().println("start");
            assertThat(c.sleep(Duration.ofMillis(2500))).isTrue();
        }), env("DA_TIMEOUT", "3"));

        assertThat(code).isZero();
        long pings = parsedLines().stream().filter(WorkerLine.Ping.class::isInstance).count();
        assertThat(pings).isBetween(2L, 3L);
    }

    @Test
    void aShortSleepAfterOutputDoesNotPing() {
        run(command(c -> {
            c.out().println("start");
            c.sleep(Duration.ofMillis(300));
        }), env("DA_TIMEOUT", "3"));

        assertThat(outLines()).containsExactly("start", "@@distarch ended");
    }

    @Test
    void pingIsThrottledToOneLinePerSecond() {
        run(command(c -> {
            for (int i = 0; i < 1000; i++) {
                c.ping();
            }
        }), env());

        assertThat(outLines()).containsExactly("@@distarch ping", "@@distarch ended");
    }

    @Test
    void theProtocolVersionIsChecked() {
        run(command(c -> { }), env("DA_PROTOCOL", "2"));

        assertThat(parsedLines().get(0)).isEqualTo(
                new WorkerLine.Log(LogLevel.WARN, "Master speaks worker protocol 2, this worker speaks 1"));
    }

    @Test
    void thePublicInMemoryOverloadRuns() {
        PrintStream out = new PrintStream(stdout, true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(stderr, true, StandardCharsets.UTF_8);
        int code = WorkerRunner.run(command(c -> c.logger().info("hi")), env(), stdin, out, err);

        assertThat(code).isZero();
        assertThat(outLines()).containsExactly("@@distarch log info hi", "@@distarch ended");
    }

    private void waitForOutput(String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!stdout.toString(StandardCharsets.UTF_8).contains(text)) {
            assertThat(System.nanoTime()).as("waiting for " + text).isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
