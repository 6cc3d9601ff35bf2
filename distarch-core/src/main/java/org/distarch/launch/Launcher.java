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

    @Override
    default void close() {}
}
