package org.distarch.cli;

import java.io.PrintStream;
import java.util.concurrent.Callable;
import org.distarch.config.ConfigException;
import org.distarch.config.ConfigWarning;
import org.distarch.config.DistarchConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "config:validate", mixinStandardHelpOptions = true,
        description = "Checks a configuration file without running anything. Exit code 0 when it is valid (warnings, "
                + "printed on stderr, do not change it), 2 when not.")
final class ConfigValidateCommand implements Callable<Integer> {

    private final AppContext app;
    private final PrintStream out;
    private final PrintStream err;

    @Mixin
    ConfigOption config;

    ConfigValidateCommand(AppContext app) {
        this(app, System.out, System.err);
    }

    ConfigValidateCommand(AppContext app, PrintStream out, PrintStream err) {
        this.app = app;
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() {
        try {
            DistarchConfig c = config.load(app);
            int processes = c.groups().stream().mapToInt(g -> (g.local() == null ? 0 : g.local().instancesCount())
                    + g.remote().stream().mapToInt(r -> r.instancesCount() * r.hosts().size()).sum()).sum();
            for (ConfigWarning warning : c.warnings()) {
                err.println(warning.format());
            }
            out.println(c.source() + ": valid (" + c.groups().size() + " groups, " + c.queueGroups().size()
                    + " queue groups, " + processes + " processes in groups)");
            return 0;
        } catch (ConfigException | IllegalStateException e) {
            err.println(e.getMessage());
            return ExitCodes.CONFIG;
        }
    }
}
