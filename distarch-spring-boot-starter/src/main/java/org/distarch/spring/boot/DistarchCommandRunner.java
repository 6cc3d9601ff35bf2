package org.distarch.spring.boot;

import java.util.List;
import org.distarch.cli.Distarch;
import org.distarch.event.DistarchListener;
import org.distarch.worker.WorkerCommand;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.Ordered;

/**
 * Runs distarch's command line when the application was started with one of its commands: {@code run-master}
 * (the master, with the seed's options), {@code config:validate}, {@code status} and the other control
 * commands, a worker command (what the master starts: {@code java -jar app.jar app:resize}) or a remote relay.
 * The application's {@link WorkerCommand} and {@link DistarchListener} beans are the application's workers and
 * listeners; the configuration comes from {@link SpringConfigSource} unless {@code --config} is given. The
 * application then exits with the command's exit code, after closing its context. Other arguments are left
 * to the application.
 */
final class DistarchCommandRunner implements ApplicationRunner, Ordered {

    private final DistarchApplication application;
    private final ConfigurableApplicationContext context;

    DistarchCommandRunner(DistarchApplication application, ConfigurableApplicationContext context) {
        this.application = application;
        this.context = context;
    }

    @Override
    public void run(ApplicationArguments arguments) {
        String[] args = arguments.getSourceArgs();
        Distarch distarch = application.commandLine();
        if (!distarch.handles(args)) {
            return;
        }
        int code = distarch.execute(args);
        System.exit(SpringApplication.exit(context, () -> code));
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    /** Whether the arguments are a distarch command (the embedded master then stays off). */
    static boolean isCommand(DistarchApplication application, List<String> args) {
        return application.commandLine().handles(args.toArray(String[]::new));
    }
}
