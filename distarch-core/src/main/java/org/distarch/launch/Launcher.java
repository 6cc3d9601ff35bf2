package org.distarch.launch;

import java.util.concurrent.CompletionStage;

/**
 * How a worker is started, kept apart from how it is supervised: local processes now, SSH hosts later,
 * a scripted fake in tests. The stage fails with a {@link LaunchException} when the process could not start.
 */
public interface Launcher extends AutoCloseable {

    CompletionStage<LaunchedWorker> launch(LaunchSpec spec, LineHandler output);

    @Override
    default void close() {}
}
