package org.distarch.remote.ssh;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.distarch.event.ExitStatus;
import org.distarch.launch.LaunchException;
import org.distarch.launch.LaunchSpec;
import org.distarch.launch.LaunchedWorker;
import org.distarch.launch.LineHandler;
import org.distarch.launch.Usage;
import org.distarch.launch.WorkerLostException;
import org.distarch.remote.protocol.RelayFrame;

/**
 * A process on a remote host, as its relay reports it: the master's supervisor sees it exactly like a local
 * worker. Requests go to the relay through the session and return at once.
 */
final class RemoteWorker implements LaunchedWorker {

    final int handle;
    final LineHandler output;
    private final RelaySession session;
    private final CompletableFuture<LaunchedWorker> launched = new CompletableFuture<>();
    private final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
    private volatile long pid;
    private volatile Usage usage = Usage.UNKNOWN;
    /** What to launch once the relay is ready (set under the session lock). */
    LaunchSpec spec;

    RemoteWorker(RelaySession session, int handle, LineHandler output) {
        this.session = session;
        this.handle = handle;
        this.output = output;
    }

    CompletionStage<LaunchedWorker> launched() {
        return launched;
    }

    boolean isLaunched() {
        return launched.isDone() && !launched.isCompletedExceptionally();
    }

    void started(long pid) {
        this.pid = pid;
        launched.complete(this);
    }

    void failed(LaunchException e) {
        launched.completeExceptionally(e);
    }

    void exited(ExitStatus status) {
        exit.complete(status);
    }

    /** The session ended: a pending launch fails with {@code pending}, a running process is lost. */
    void sessionEnded(LaunchException pending, String lost) {
        if (!launched.isDone()) {
            launched.completeExceptionally(pending);
        } else {
            exit.completeExceptionally(new WorkerLostException(lost));
        }
    }

    void usage(long cpuMillis, long rssBytes) {
        usage = new Usage(cpuMillis, rssBytes);
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
        session.send(new RelayFrame.Stop(handle));
    }

    @Override
    public void kill() {
        session.send(new RelayFrame.Kill(handle));
    }

    @Override
    public void signal(String signal) {
        session.send(new RelayFrame.Signal(handle, signal));
    }

    @Override
    public Usage usage() {
        return exit.isDone() ? Usage.UNKNOWN : usage;
    }
}
