package org.distarch.launch;

import org.distarch.event.ExitStatus;
import java.util.concurrent.CompletionStage;

/**
 * A worker process that a {@link Launcher} started, here or on a remote host. Every method returns at once:
 * signals and requests travel on the launcher's own threads, never on the caller's.
 */
public interface LaunchedWorker {

    long pid();

    /**
     * Completes once the process has exited and all of its output has been handed to the line handler; fails
     * with {@link WorkerLostException} when the connection to its host was lost first.
     */
    CompletionStage<ExitStatus> exit();

    /**
     * Asks the worker to stop: {@code stop} on its stdin and its launch spec's stop signal (SIGTERM unless the
     * group's {@code stop_signal} says otherwise) to its process group.
     */
    void askStop();

    /** Kills the worker and every process it started. */
    void kill();

    /**
     * Sends {@code signal} (a {@link SignalName}, e.g. {@code USR1}) to the worker's process group; an operator's
     * request, not part of any stop.
     */
    void signal(String signal);

    /** The latest CPU and memory figures of the worker and its children. */
    default Usage usage() {
        return Usage.UNKNOWN;
    }
}
