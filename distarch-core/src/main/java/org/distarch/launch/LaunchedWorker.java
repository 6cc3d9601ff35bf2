package org.distarch.launch;

import java.util.concurrent.CompletionStage;

/** A worker process that a {@link Launcher} started. */
public interface LaunchedWorker {

    long pid();

    /** Completes once the process has exited and all of its output has been handed to the line handler. */
    CompletionStage<ExitStatus> exit();

    /** Asks the worker to stop: {@code stop} on its stdin and SIGTERM. Returns at once. */
    void askStop();

    /** Kills the worker and every process it started, at once. */
    void kill();
}
