package org.distarch.supervise;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.distarch.launch.ExitStatus;
import org.distarch.launch.LaunchException;
import org.distarch.launch.LaunchSpec;
import org.distarch.launch.LaunchedWorker;
import org.distarch.launch.Launcher;
import org.distarch.launch.LineHandler;

/** A launcher whose "processes" the test drives by hand: print lines, exit, and see stop and kill requests. */
final class FakeLauncher implements Launcher {

    final List<FakeWorker> started = new ArrayList<>();
    int failNextLaunches;
    private long nextPid = 1000;

    @Override
    public CompletionStage<LaunchedWorker> launch(LaunchSpec spec, LineHandler output) {
        if (failNextLaunches > 0) {
            failNextLaunches--;
            return CompletableFuture.failedFuture(new LaunchException("no such program", null));
        }
        FakeWorker w = new FakeWorker(nextPid++, output);
        started.add(w);
        return CompletableFuture.completedFuture(w);
    }

    FakeWorker last() {
        return started.get(started.size() - 1);
    }

    static final class FakeWorker implements LaunchedWorker {
        final long pid;
        final LineHandler output;
        final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
        int stopAsked;
        int killed;
        boolean obeysStop = true;

        FakeWorker(long pid, LineHandler output) {
            this.pid = pid;
            this.output = output;
        }

        void print(String line) {
            output.onLine(line);
        }

        void exit(int code) {
            exit.complete(ExitStatus.fromExitValue(code));
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
