package org.distarch.cli;

import java.util.List;
import java.util.Map;
import org.distarch.event.DistarchListener;
import org.distarch.worker.WorkerCommand;

/** What the application told {@link Distarch}, handed to the commands that need it. */
record AppContext(Class<?> mainClass, Map<String, WorkerCommand> workers, List<DistarchListener> listeners,
        String defaultConfigResource) {}
