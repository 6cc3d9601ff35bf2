package org.distarch.spring.boot;

import java.util.List;
import org.distarch.cli.Distarch;
import org.distarch.cli.EmbeddedMaster;
import org.distarch.config.DistarchConfig;
import org.distarch.event.DistarchListener;
import org.distarch.worker.WorkerCommand;

/**
 * What the application gives distarch: its main class (workers are started through it), its worker commands
 * and listeners (beans), the Spring event bridge and the configuration source. Builds the command line and
 * the embedded master from the same parts, so both run the same fleet.
 */
final class DistarchApplication {

    private final Class<?> mainClass;
    private final List<WorkerCommand> workers;
    private final List<DistarchListener> listeners;
    private final SpringConfigSource configSource;

    DistarchApplication(Class<?> mainClass, List<WorkerCommand> workers, List<DistarchListener> listeners,
            SpringConfigSource configSource) {
        this.mainClass = mainClass;
        this.workers = List.copyOf(workers);
        this.listeners = List.copyOf(listeners);
        this.configSource = configSource;
    }

    Distarch commandLine() {
        Distarch distarch = Distarch.app(mainClass).config(configSource);
        workers.forEach(distarch::worker);
        listeners.forEach(distarch::listener);
        return distarch;
    }

    EmbeddedMaster.Builder embedded(DistarchConfig config) {
        EmbeddedMaster.Builder builder = EmbeddedMaster.builder(config, mainClass).reloadSource(configSource);
        workers.forEach(builder::worker);
        listeners.forEach(builder::listener);
        return builder;
    }

    Class<?> mainClass() {
        return mainClass;
    }
}
