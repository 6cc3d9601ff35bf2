package org.distarch.cli;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.distarch.config.DistarchConfig;
import org.distarch.event.DistarchListener;
import org.distarch.worker.WorkerCommand;

/**
 * What the application told {@link Distarch}, handed to the commands that need it.
 *
 * @param configSource the configuration when no {@code --config} is given (an embedding framework's own), or null
 */
record AppContext(Class<?> mainClass, Map<String, WorkerCommand> workers, List<DistarchListener> listeners,
        String defaultConfigResource, Supplier<DistarchConfig> configSource) {}
