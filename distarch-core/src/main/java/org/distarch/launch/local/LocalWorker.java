package org.distarch.launch.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.distarch.launch.ExitStatus;
import org.distarch.launch.LaunchedWorker;
import org.distarch.launch.LineHandler;
import org.distarch.output.LineSplitter;

/** One running local worker: its output pump, its stdin, and the signals to its process tree. */
final class LocalWorker implements LaunchedWorker {

    /** How long to keep reading after the worker exited, when a child of it still holds the pipe. */
    private static final long DRAIN_AFTER_EXIT_MS = 2000;
    private static final byte[] STOP_LINE = "stop\n".getBytes(StandardCharsets.US_ASCII);

    private final Process process;
    private final boolean ownGroup;
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private final CompletableFuture<ExitStatus> exit;

    private LocalWorker(Process process, boolean ownGroup) {
        this.process = process;
        this.ownGroup = ownGroup;
        this.exit = process.onExit()
                .thenCompose(p -> drained.completeOnTimeout(null, DRAIN_AFTER_EXIT_MS, TimeUnit.MILLISECONDS))
                .thenApply(ignored -> {
                    // Like systemd's control-group kill mode: what the worker left running in its group goes too.
                    signalGroup("KILL");
                    return ExitStatus.fromExitValue(process.exitValue());
                });
    }

    static LocalWorker start(Process process, LineHandler output, int maxLineBytes, boolean ownGroup) {
        LocalWorker worker = new LocalWorker(process, ownGroup);
        Thread pump = new Thread(() -> worker.pump(output, maxLineBytes), "distarch-out-" + process.pid());
        pump.setDaemon(true);
        pump.start();
        return worker;
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public CompletionStage<ExitStatus> exit() {
        return exit;
    }

    @Override
    public void askStop() {
        try {
            OutputStream stdin = process.getOutputStream();
            stdin.write(STOP_LINE);
            stdin.flush();
        } catch (IOException e) {
            // The worker closed its stdin or is gone already; the signal below still applies.
        }
        if (!signalGroup("TERM")) {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
        }
    }

    @Override
    public void kill() {
        List<ProcessHandle> tree = process.descendants().toList();
        signalGroup("KILL");
        process.destroyForcibly();
        tree.forEach(ProcessHandle::destroyForcibly);
    }

    /** Signals the worker's whole process group (it leads one, thanks to setsid); false if it cannot. */
    private boolean signalGroup(String signal) {
        if (!ownGroup) {
            return false;
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, "--", "-" + process.pid())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            kill.waitFor(2, TimeUnit.SECONDS);
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void pump(LineHandler output, int maxLineBytes) {
        LineSplitter splitter = new LineSplitter(maxLineBytes, output::onLine);
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = process.getInputStream()) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                splitter.feed(buffer, 0, n);
            }
        } catch (IOException e) {
            // The pipe broke: treat it as the end of output.
        } finally {
            try {
                splitter.finish();
            } finally {
                drained.complete(null);
            }
        }
    }
}
