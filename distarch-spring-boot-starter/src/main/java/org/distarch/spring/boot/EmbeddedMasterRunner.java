package org.distarch.spring.boot;

import java.nio.file.Path;
import java.util.List;
import org.distarch.cli.EmbeddedMaster;
import org.distarch.config.DistarchConfig;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;

/**
 * With {@code distarch.master.enabled=true}: runs the master inside the application once it has started (on
 * a thread of its own, beside the web server), with the options under {@code distarch.master.*}; closing the
 * context stops the fleet gracefully. An invalid configuration fails the application's start with every
 * error. Stays off when the application was started with a distarch command (a worker, {@code run-master}).
 */
final class EmbeddedMasterRunner implements ApplicationRunner, DisposableBean {

    private final DistarchApplication application;
    private final DistarchProperties.Master settings;
    private final SpringConfigSource configSource;
    private volatile EmbeddedMaster master;

    EmbeddedMasterRunner(DistarchApplication application, DistarchProperties properties,
            SpringConfigSource configSource) {
        this.application = application;
        this.settings = properties.getMaster();
        this.configSource = configSource;
    }

    @Override
    public void run(ApplicationArguments arguments) {
        if (DistarchCommandRunner.isCommand(application, List.of(arguments.getSourceArgs()))) {
            return;
        }
        DistarchConfig config = configSource.get();
        EmbeddedMaster.Builder builder = application.embedded(config).options(settings.getMaxRunningTime(),
                settings.getMaxProcessTimeout(), settings.getTimeout(), settings.isService());
        if (settings.getControlSocket() != null && !settings.getControlSocket().isBlank()) {
            builder.controlSocket(Path.of(settings.getControlSocket()).toAbsolutePath());
        }
        master = builder.start();
    }

    @Override
    public void destroy() {
        EmbeddedMaster running = master;
        if (running != null) {
            running.close();
        }
    }
}
