package org.distarch.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.distarch.event.ExitStatus;
import org.distarch.launch.LaunchException;
import org.distarch.launch.LaunchSpec;
import org.distarch.launch.LaunchedWorker;
import org.distarch.launch.Launcher;
import org.distarch.launch.LineHandler;

/** A launcher whose "processes" the test drives by hand: print lines, exit, and see stop and kill requests. */
public final class FakeLauncher implements Launcher {

    public final List<FakeWorker> started = new java.util.concurrent.CopyOnWriteArrayList<>();
    public final List<LaunchSpec> specs = new java.util.concurrent.CopyOnWriteArrayList<>();
    public int failNextLaunches;
    private final java.util.ArrayDeque<LaunchException> failures = new java.util.ArrayDeque<>();
    private long nextPid = 1000;
    private boolean scripted;

    /**
     * A fake that also runs tiny programs given as its command: {@code fake [deaf] say:TEXT... env:NAME
     * exit:N} prints, then exits (or runs until stopped without {@code exit:}); {@code deaf} ignores askStop.
     * Any other command fails to launch, like a missing program.
     */
    public static FakeLauncher scripted() {
        FakeLauncher f = new FakeLauncher();
        f.scripted = true;
        return f;
    }

    /** The next launch fails with {@code e}. */
    public void failNext(LaunchException e) {
        failures.add(e);
    }

    @Override
    public CompletionStage<LaunchedWorker> launch(LaunchSpec spec, LineHandler output) {
        specs.add(spec);
        if (failNextLaunches > 0) {
            failNextLaunches--;
            return CompletableFuture.failedFuture(new LaunchException("no such program", null));
        }
        if (!failures.isEmpty()) {
            return CompletableFuture.failedFuture(failures.poll());
        }
        if (scripted && !spec.command().get(0).equals("fake")) {
            return CompletableFuture.failedFuture(new LaunchException("cannot run " + spec.command().get(0), null));
        }
        FakeWorker w = new FakeWorker(nextPid++, output);
        started.add(w);
        if (scripted) {
            for (String word : spec.command().subList(1, spec.command().size())) {
                if (word.equals("deaf")) {
                    w.obeysStop = false;
                } else if (word.startsWith("say:stderr:")) {
                    w.printErr(word.substring(11));
                } else if (word.startsWith("say:")) {
                    w.print(word.substring(4));
                } else if (word.startsWith("env:")) {
                    w.print(spec.environment().getOrDefault(word.substring(4), ""));
                } else if (word.startsWith("exit:")) {
                    w.exit(Integer.parseInt(word.substring(5)));
                }
            }
        }
        return CompletableFuture.completedFuture(w);
    }

    public FakeWorker last() {
        return started.get(started.size() - 1);
    }

    public static final class FakeWorker implements LaunchedWorker {
        final long pid;
        final LineHandler output;
        final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
        public int stopAsked;
        public int killed;
        /** The signals an operator sent, in order. */
        public final List<String> signals = new ArrayList<>();
        public boolean obeysStop = true;

        FakeWorker(long pid, LineHandler output) {
            this.pid = pid;
            this.output = output;
        }

        public void print(String line) {
            output.onLine(org.distarch.launch.WorkerStream.STDOUT, line);
        }

        /** Lines that came in one read: handed on together, as the local launcher does. */
        public void printTogether(String... lines) {
            output.onLines(org.distarch.launch.WorkerStream.STDOUT, java.util.List.of(lines));
        }

        public void printErr(String line) {
            output.onLine(org.distarch.launch.WorkerStream.STDERR, line);
        }

        public void exit(int code) {
            exit.complete(ExitStatus.fromExitValue(code));
        }

        /** The connection to its host is lost. */
        public void lose(String why) {
            exit.completeExceptionally(new org.distarch.launch.WorkerLostException(why));
        }

        @Override
        public long pid() {
            return pid;
        }

        @Override
        public CompletionStage<ExitStatus> exit() {
            return exit;
        }

        @Override
        public void signal(String signal) {
            signals.add(signal);
        }

        @Override
        public void askStop() {
            stopAsked++;
            if (obeysStop) {
                exit(143);
            }
        }

        @Override
        public void kill() {
            killed++;
            exit(137);
        }
    }
}
