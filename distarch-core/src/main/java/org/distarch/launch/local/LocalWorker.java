package org.distarch.launch.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.distarch.event.ExitStatus;
import org.distarch.launch.LaunchedWorker;
import org.distarch.launch.LineHandler;
import org.distarch.launch.Usage;
import org.distarch.launch.WorkerStream;
import org.distarch.output.LineSplitter;

/** One running local worker: its output pump, its stdin, and the signals to its process tree. */
final class LocalWorker implements LaunchedWorker {

    /** How long to keep reading after the worker exited, when a child of it still holds the pipe. */
    private static final long DRAIN_AFTER_EXIT_MS = 2000;
    /** Stack of a reading thread: it only cuts lines and hands them on. */
    private static final long PUMP_STACK_BYTES = 256 * 1024;
    private static final byte[] STOP_LINE = "stop\n".getBytes(StandardCharsets.US_ASCII);

    private final Process process;
    private final boolean ownGroup;
    /** The signal that asks it to stop ({@code stop_signal}), by name: TERM, INT, ... */
    private final String stopSignal;
    private final ProcessSignaller signaller;
    /** Both streams read to their end (or given up on, DRAIN_AFTER_EXIT_MS after the exit). */
    private final CompletableFuture<Void> drained;
    private final CompletableFuture<Void> outDrained = new CompletableFuture<>();
    private final CompletableFuture<Void> errDrained = new CompletableFuture<>();
    private final CompletableFuture<ExitStatus> exit;

    private LocalWorker(Process process, boolean ownGroup, ProcessSignaller signaller, String stopSignal) {
        this.process = process;
        this.ownGroup = ownGroup;
        this.stopSignal = stopSignal;
        this.signaller = signaller;
        this.drained = CompletableFuture.allOf(outDrained, errDrained);
        this.exit = process.onExit()
                .thenCompose(p -> drained.completeOnTimeout(null, DRAIN_AFTER_EXIT_MS, TimeUnit.MILLISECONDS))
                .thenApply(ignored -> {
                    // Like systemd's control-group kill mode: what the worker left running in its group goes too.
                    signalGroup("KILL");
                    return ExitStatus.fromExitValue(process.exitValue());
                });
    }

    static LocalWorker start(Process process, LineHandler output, int maxLineBytes, boolean ownGroup,
            ProcessSignaller signaller, String stopSignal) {
        LocalWorker worker = new LocalWorker(process, ownGroup, signaller, stopSignal);
        // Two blocked readers per worker (stdout and stderr are separate pipes, so each line keeps its stream);
        // a blocked thread costs its stack and no CPU, so the stacks are kept small.
        worker.startPump(process.getInputStream(), WorkerStream.STDOUT, output, maxLineBytes, worker.outDrained,
                "distarch-out-");
        worker.startPump(process.getErrorStream(), WorkerStream.STDERR, output, maxLineBytes, worker.errDrained,
                "distarch-err-");
        return worker;
    }

    private void startPump(InputStream in, WorkerStream stream, LineHandler output, int maxLineBytes,
            CompletableFuture<Void> done, String name) {
        Thread pump = new Thread(null, () -> pump(in, stream, output, maxLineBytes, done), name + process.pid(),
                PUMP_STACK_BYTES);
        pump.setDaemon(true);
        pump.start();
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
        if (!signalGroup(stopSignal)) {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
        }
    }

    @Override
    public void kill() {
        signalGroup("KILL");
        signaller.killTree(process.toHandle());
    }

    @Override
    public void signal(String signal) {
        if (!signalGroup(signal)) {
            // No group of its own (setsid missing): Java can reach the worker itself with TERM and KILL only.
            if (signal.equals("KILL")) {
                process.destroyForcibly();
            } else if (signal.equals("TERM")) {
                process.destroy();
            }
        }
    }

    @Override
    public Usage usage() {
        return process.isAlive() ? ProcessStats.of(process.pid()) : Usage.UNKNOWN;
    }

    /**
     * Signals the worker's whole process group (it leads one, thanks to setsid) through the signaller, without
     * waiting; false when it has no group of its own.
     */
    private boolean signalGroup(String signal) {
        if (!ownGroup) {
            return false;
        }
        signaller.signalGroup(signal, process.pid());
        return true;
    }

    private static void pump(InputStream stream, WorkerStream which, LineHandler output, int maxLineBytes,
            CompletableFuture<Void> done) {
        LineSplitter splitter = new LineSplitter(maxLineBytes, line -> output.onLine(which, line));
        byte[] buffer = new byte[which == WorkerStream.STDOUT ? 64 * 1024 : 8 * 1024];
        try (InputStream in = stream) {
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
                done.complete(null);
            }
        }
    }
}
