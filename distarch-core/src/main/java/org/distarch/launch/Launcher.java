package org.distarch.launch;

import java.util.concurrent.CompletionStage;

/**
 * How a worker is started, kept apart from how it is supervised: local child processes
 * ({@code LocalLauncher}), processes on a remote host through its relay (the SSH launcher of
 * distarch-remote), a scripted fake in tests. The supervisor sees no difference. The stage fails with a
 * {@link LaunchException} when the process could not start; {@code launch} itself never blocks.
 */
public interface Launcher extends AutoCloseable {

    CompletionStage<LaunchedWorker> launch(LaunchSpec spec, LineHandler output);

    /**
     * This launcher for the processes of a group whose stop grace is {@code grace} ({@code stop_timeout}), for a
     * launcher that records it (the workers journal: a master started after this one was killed waits that long for
     * them); the same launcher by default.
     */
    default Launcher withStopGrace(java.time.Duration grace) {
        return this;
    }

    @Override
    default void close() {}
}
