package org.distarch.cli;

import java.util.concurrent.Callable;
import org.distarch.config.ConfigException;
import org.distarch.config.DistarchConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "config:validate", mixinStandardHelpOptions = true,
        description = "Checks a configuration file without running anything. Exit code 0 when it is valid, 2 when not.")
final class ConfigValidateCommand implements Callable<Integer> {

    private final AppContext app;

    @Mixin
    ConfigOption config;

    ConfigValidateCommand(AppContext app) {
        this.app = app;
    }

    @Override
    public Integer call() {
        try {
            DistarchConfig c = config.load(app);
            int processes = c.groups().stream().mapToInt(g -> (g.local() == null ? 0 : g.local().instancesCount())
                    + g.remote().stream().mapToInt(r -> r.instancesCount() * r.hosts().size()).sum()).sum();
            System.out.println(c.source() + ": valid (" + c.groups().size() + " groups, " + c.queueGroups().size()
                    + " queue groups, " + processes + " processes in groups)");
            return 0;
        } catch (ConfigException | IllegalStateException e) {
            System.err.println(e.getMessage());
            return ExitCodes.CONFIG;
        }
    }
}
