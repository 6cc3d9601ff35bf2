package org.distarch.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.distarch.config.ConfigException;
import org.distarch.config.ConfigWarning;
import org.distarch.config.DistarchConfig;
import org.distarch.master.StartupChecks;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "config:validate", mixinStandardHelpOptions = true,
        description = {"Checks a configuration file without running anything: the file itself, then what can be "
                + "checked on this machine (each command is a worker command of this application, bin_path and path "
                + "exist, a local feeder's port can be bound, user exists and the master may switch to it).",
            "",
            "Exit code 0 when all is well (warnings, printed on stderr, do not change it), 2 when not."})
final class ConfigValidateCommand implements Callable<Integer> {

    private final AppContext app;
    private final PrintStream out;
    private final PrintStream err;

    @Mixin
    ConfigOption config;

    @Parameters(arity = "0..1", paramLabel = "FILE", description = "The configuration file (the same as --config).")
    Path file;

    @Option(names = "--file-only", description = "Check only the file, not this machine (for a file meant for "
            + "other machines).")
    boolean fileOnly;

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
        if (file != null) {
            if (config.file != null && !config.file.equals(file)) {
                err.println("Give the file once: FILE or --config, not both (got " + file + " and " + config.file + ")");
                return ExitCodes.USAGE;
            }
            config.file = file;
        }
        try {
            DistarchConfig c = config.load(app);
            StartupChecks.Report report = fileOnly ? new StartupChecks.Report(List.of(), List.of())
                    : StartupChecks.check(c, app == null ? List.of() : app.workers().keySet());
            report.problems().forEach(p -> err.println(p.format(c.source())));
            report.notChecked().forEach(p -> err.println(p.format(c.source())));
            if (!report.ok()) {
                return ExitCodes.CONFIG;
            }
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
