package org.distarch.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.distarch.event.ExitStatus;
import org.distarch.launch.LaunchException;
import org.distarch.launch.LaunchSpec;
import org.distarch.launch.LaunchedWorker;
import org.distarch.launch.Launcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Launcher} does, whatever starts the process: the local launcher, the SSH launcher (over
 * pipes and against real sshd hosts) and the fake. Each implementation says how to express a small program
 * in its terms ({@link #spec}); the supervisor relies on exactly these behaviours.
 */
public abstract class LauncherContract {

    /** A worker for the contract: lines to print, then exit with {@code exitCode}, or run until stopped (null). */
    public record Program(List<String> lines, Integer exitCode, boolean ignoresStop, String printsVariable) {
        public static Program printsThenExits(int code, String... lines) {
            return new Program(List.of(lines), code, false, null);
        }

        public static Program runsUntilStopped(String... lines) {
            return new Program(List.of(lines), null, false, null);
        }

        public static Program ignoresStop(String... lines) {
            return new Program(List.of(lines), null, true, null);
        }

        public static Program printsVariable(String name) {
            return new Program(List.of(), 0, false, name);
        }
    }

    private static final Duration LIMIT = Duration.ofSeconds(30);

    protected abstract Launcher launcher();

    /** The launch spec that runs {@code program}; {@code variable} (if set) is in its environment with {@code value}. */
    protected abstract LaunchSpec spec(Program program, String variable, String value);

    /** A spec whose program does not exist. */
    protected abstract LaunchSpec missingProgram();

    private final List<Launcher> opened = new CopyOnWriteArrayList<>();

    private Launcher open() {
        Launcher l = launcher();
        opened.add(l);
        return l;
    }

    @AfterEach
    void closeLaunchers() {
        opened.forEach(Launcher::close);
    }

    private record Run(LaunchedWorker worker, List<String> lines) {
        ExitStatus awaitExit() throws Exception {
            return worker.exit().toCompletableFuture().get(LIMIT.toSeconds(), TimeUnit.SECONDS);
        }

        void awaitLines(int n) throws InterruptedException {
            long deadline = System.nanoTime() + LIMIT.toNanos();
            while (lines.size() < n && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(lines).hasSizeGreaterThanOrEqualTo(n);
        }
    }

    private Run start(Launcher launcher, LaunchSpec spec) throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        LaunchedWorker w = launcher.launch(spec,
                (stream, line) -> lines.add(stream == org.distarch.launch.WorkerStream.STDERR ? "stderr:" + line : line)).toCompletableFuture().get(LIMIT.toSeconds(),
                TimeUnit.SECONDS);
        return new Run(w, lines);
    }

    @Test
    void everyLineArrivesInOrderBeforeTheExitIsReported() throws Exception {
        Run run = start(open(), spec(Program.printsThenExits(3, "one", "two", "three"), null, null));
        ExitStatus exit = run.awaitExit();
        assertThat(exit).isEqualTo(new ExitStatus(3, 0));
        assertThat(run.lines()).containsExactly("one", "two", "three");
        assertThat(run.worker().pid()).isPositive();
    }

    /** A program's lines named {@code stderr:TEXT} go to its stderr; each line arrives with its stream. */
    @Test
    void eachLineArrivesWithTheStreamItWasWrittenTo() throws Exception {
        Run run = start(open(), spec(Program.printsThenExits(0, "on stdout", "stderr:on stderr"), null, null));
        run.awaitExit();
        // Two pipes: the order across them is not kept, the stream of each line is.
        assertThat(run.lines()).containsExactlyInAnyOrder("on stdout", "stderr:on stderr");
    }

    @Test
    void aCleanExitIsClean() throws Exception {
        Run run = start(open(), spec(Program.printsThenExits(0, "done"), null, null));
        assertThat(run.awaitExit().clean()).isTrue();
    }

    @Test
    void theEnvironmentReachesTheProcess() throws Exception {
        Run run = start(open(), spec(Program.printsVariable("DA_CONTRACT"), "DA_CONTRACT", "s3cret value"));
        run.awaitExit();
        assertThat(run.lines()).containsExactly("s3cret value");
    }

    @Test
    void askStopEndsACooperativeProcess() throws Exception {
        Run run = start(open(), spec(Program.runsUntilStopped("up"), null, null));
        run.awaitLines(1);
        run.worker().askStop();
        ExitStatus exit = run.awaitExit();
        assertThat(exit.clean()).isFalse();
        assertThat(exit.signal()).isIn(0, 15);
    }

    @Test
    void killEndsAProcessThatIgnoresStop() throws Exception {
        Run run = start(open(), spec(Program.ignoresStop("deaf"), null, null));
        run.awaitLines(1);
        run.worker().askStop();
        assertThat(run.worker().exit().toCompletableFuture()).isNotDone();
        run.worker().kill();
        assertThat(run.awaitExit()).isEqualTo(new ExitStatus(137, 9));
    }

    @Test
    void aProgramThatCannotStartFailsTheLaunch() {
        CompletableFuture<LaunchedWorker> launched = open().launch(missingProgram(), (stream, line) -> { }).toCompletableFuture();
        assertThatThrownBy(() -> launched.get(LIMIT.toSeconds(), TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(LaunchException.class);
    }

    @Test
    void launchNeverBlocksItsCaller() throws Exception {
        Launcher launcher = open();
        long before = System.nanoTime();
        CompletableFuture<LaunchedWorker> launched = launcher.launch(spec(Program.printsThenExits(0, "x"), null, null),
                (stream, line) -> { }).toCompletableFuture();
        // Not a timing goal: a launch that forked or connected on the caller's thread would take far longer.
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(2));
        launched.get(LIMIT.toSeconds(), TimeUnit.SECONDS).exit().toCompletableFuture().get(LIMIT.toSeconds(),
                TimeUnit.SECONDS);
    }

    /** {@code launcher} whose {@link Launcher#close()} runs {@code close} (a session of a launcher factory). */
    protected static Launcher closingWith(Launcher launcher, Runnable close) {
        return new Launcher() {
            @Override
            public java.util.concurrent.CompletionStage<LaunchedWorker> launch(LaunchSpec spec,
                    org.distarch.launch.LineHandler output) {
                return launcher.launch(spec, output);
            }

            @Override
            public void close() {
                close.run();
            }
        };
    }

    /** The usual /bin/sh rendering of a {@link Program}, for launchers that run real processes. */
    public static List<String> shellCommand(Program p) {
        StringBuilder script = new StringBuilder();
        if (p.ignoresStop()) {
            script.append("trap '' TERM; ");
        }
        for (String line : p.lines()) {
            boolean err = line.startsWith("stderr:");
            String text = err ? line.substring("stderr:".length()) : line;
            script.append("printf '%s\\n' '").append(text.replace("'", "'\\''")).append(err ? "' >&2; " : "'; ");
        }
        if (p.printsVariable() != null) {
            script.append("printf '%s\\n' \"$").append(p.printsVariable()).append("\"; ");
        }
        if (p.exitCode() == null) {
            script.append(p.ignoresStop() ? "while :; do sleep 0.1; done" : "exec sleep 600");
        } else {
            script.append("exit ").append(p.exitCode());
        }
        return List.of("/bin/sh", "-c", script.toString());
    }
}
