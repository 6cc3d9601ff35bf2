package org.distarch.launch.local;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.distarch.event.ExitStatus;
import org.distarch.launch.LaunchedWorker;
import org.distarch.launch.LineHandler;
import org.distarch.launch.Usage;
import org.distarch.launch.WorkerStream;

/**
 * One running local worker: its pid, its two output pipes (read by the {@link OutputLoop}), its stdin, and the
 * signals to its process group. No thread of its own: its exit is a pidfd event on the output loop.
 */
final class LocalWorker implements LaunchedWorker {

    /** How long to keep reading after the worker exited, when a child of it still holds the pipe. */
    private static final long DRAIN_AFTER_EXIT_NANOS = 2_000_000_000L;
    private static final byte[] STOP_LINE = "stop\n".getBytes(StandardCharsets.US_ASCII);

    private final int pid;
    private final boolean ownGroup;
    /** The signal that asks it to stop ({@code stop_signal}), by name: TERM, INT, ... */
    private final String stopSignal;
    private final ProcessSignaller signaller;
    private final WorkerPipe out;
    private final WorkerPipe err;
    /** The master's end of its stdin, -1 once closed; guarded by this. */
    private int stdin;
    private volatile boolean alive = true;
    private final CompletableFuture<ExitStatus> reaped = new CompletableFuture<>();
    private final CompletableFuture<ExitStatus> exit;
    /** Loop thread only. */
    private long drainDeadline;

    private LocalWorker(NativeSpawn.Spawned spawned, LineHandler output, int maxLineBytes, boolean ownGroup,
            ProcessSignaller signaller, String stopSignal, OutputLoop loop) {
        this.pid = spawned.pid();
        this.stdin = spawned.stdin();
        this.ownGroup = ownGroup;
        this.stopSignal = stopSignal;
        this.signaller = signaller;
        this.out = new WorkerPipe(spawned.stdout(), WorkerStream.STDOUT, output, maxLineBytes, loop.lineThreads(),
                loop);
        this.err = new WorkerPipe(spawned.stderr(), WorkerStream.STDERR, output, maxLineBytes, loop.lineThreads(),
                loop);
        // Reported once it is reaped and both pipes are read to their end (or given up on after the drain time),
        // on a line thread: whoever listens may take its time without holding the output loop.
        this.exit = CompletableFuture.allOf(reaped, out.done, err.done).thenApplyAsync(ignored -> {
            // Like systemd's control-group kill mode: what the worker left running in its group goes too.
            signalGroup("KILL");
            return reaped.join();
        }, loop.lineThreads());
    }

    static LocalWorker start(NativeSpawn.Spawned spawned, LineHandler output, int maxLineBytes, boolean ownGroup,
            ProcessSignaller signaller, String stopSignal, OutputLoop loop) {
        LocalWorker worker = new LocalWorker(spawned, output, maxLineBytes, ownGroup, signaller, stopSignal, loop);
        // A pidfd of a child that has already exited still tells of it: it is not reaped until we reap it.
        int pidfd = (int) Libc.syscall(Libc.SYS_PIDFD_OPEN, worker.pid, 0);
        if (pidfd >= 0) {
            Libc.fcntl(pidfd, 2 /* F_SETFD */, Libc.FD_CLOEXEC);
        }
        loop.add(worker, worker.out, worker.err, pidfd);
        return worker;
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
        synchronized (this) {
            if (stdin >= 0) {
                // Non-blocking: a worker that does not read its stdin and filled the pipe only misses the line.
                Libc.write(stdin, STOP_LINE, STOP_LINE.length);
            }
        }
        signal(stopSignal);
    }

    @Override
    public void kill() {
        signal("KILL");
        if (alive) {
            // Only while unreaped: afterwards the pid may already be another process's. (A handle remembers its
            // process's start time, so the tree walk cannot hit a pid reused later.)
            ProcessHandle.of(pid).ifPresent(signaller::killTree);
        }
    }

    @Override
    public void signal(String signal) {
        if (!signalGroup(signal) && alive) {
            // No group of its own (setsid missing), or not yet (a signal right after the spawn may come before
            // the wrappers' setsid): the worker itself, while its pid is still its own.
            Libc.kill(pid, Libc.signalNumber(signal));
        }
    }

    @Override
    public Usage usage() {
        return alive ? ProcessStats.of(pid) : Usage.UNKNOWN;
    }

    /**
     * Signals the worker's whole process group (it leads one, thanks to setsid) with kill(2); false when it
     * has no group of its own, or no such group exists (yet, or any more). A group's id is not reused while a
     * member lives, so this is safe after the exit too.
     */
    private boolean signalGroup(String signal) {
        return ownGroup && ProcessSignaller.signalGroup(signal, pid);
    }

    // The output loop's side.

    /** Loop thread: reaps the worker if it has exited; true when it has (or cannot be waited for any more). */
    boolean reap() {
        int[] status = new int[1];
        int rc = Libc.waitpid(pid, status, Libc.WNOHANG);
        if (rc == 0) {
            return false;
        }
        ExitStatus result;
        if (rc < 0) {
            result = ExitStatus.fromExitValue(-1); // reaped by someone else: the status is lost
        } else if ((status[0] & 0x7f) == 0) {
            result = ExitStatus.fromExitValue((status[0] >> 8) & 0xff);
        } else {
            int signal = status[0] & 0x7f;
            result = new ExitStatus(128 + signal, signal); // as java.lang.Process reports a death by signal
        }
        alive = false;
        synchronized (this) {
            Libc.close(stdin);
            stdin = -1;
        }
        drainDeadline = System.nanoTime() + DRAIN_AFTER_EXIT_NANOS;
        reaped.complete(result);
        return true;
    }

    long drainDeadline() {
        return drainDeadline;
    }

    void extendDrain() {
        drainDeadline = System.nanoTime() + DRAIN_AFTER_EXIT_NANOS;
    }

    boolean pipesClosed() {
        return out.closed() && err.closed();
    }

    boolean anyPipePaused() {
        return out.paused() || err.paused();
    }

    List<WorkerPipe> pipes() {
        return List.of(out, err);
    }

    @Override
    public String toString() {
        return "worker " + pid;
    }
}
