package org.distarch.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.distarch.config.ConfigLoader;
import org.distarch.control.socket.ControlRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The commands that steer a running master through its control socket, one small class each. */
final class ControlCommands {

    private ControlCommands() {}

    @Command(name = "suspend", mixinStandardHelpOptions = true,
            description = "Stops a group's processes (all groups without GROUP) and keeps them stopped until resume. "
                    + "Graceful (each process gets its group's stop_timeout) unless --force.")
    static final class Suspend implements Callable<Integer> {
        @Mixin
        ControlSocketOption master;

        @Parameters(arity = "0..1", paramLabel = "GROUP", description = "The group; all groups when absent.")
        String group;

        @Option(names = "--force", description = "Kill the processes at once instead of asking them to stop.")
        boolean force;

        @Override
        public Integer call() {
            return master.act(new ControlRequest("suspend", group, force, false, null));
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true,
            description = "Starts a suspended group (all groups without GROUP) again, with clean failure budgets.")
    static final class Resume implements Callable<Integer> {
        @Mixin
        ControlSocketOption master;

        @Parameters(arity = "0..1", paramLabel = "GROUP", description = "The group; all groups when absent.")
        String group;

        @Override
        public Integer call() {
            return master.act(new ControlRequest("resume", group, false, false, null));
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true,
            description = "Stops the master gracefully (a service too), as SIGTERM would; returns at once.")
    static final class Stop implements Callable<Integer> {
        @Mixin
        ControlSocketOption master;

        @Override
        public Integer call() {
            return master.act(ControlRequest.of("stop"));
        }
    }

    @Command(name = "reload", mixinStandardHelpOptions = true,
            description = {"Re-reads the master's configuration file and applies the difference: new groups start, "
                    + "removed groups stop, a changed instance count starts or stops only the difference, a changed "
                    + "command, params or setting restarts only that group.",
                "An invalid file is refused with its errors and the running fleet is untouched."})
    static final class Reload implements Callable<Integer> {
        @Mixin
        ControlSocketOption master;

        @Option(names = "--dry-run", description = "Only print what would change, process by process.")
        boolean dryRun;

        @Override
        public Integer call() {
            return master.act(new ControlRequest("reload", null, false, dryRun, null));
        }
    }

    @Command(name = "config:plan", mixinStandardHelpOptions = true,
            description = "Prints, process by process, what a reload of FILE (default: the master's own file) "
                    + "would change in the running master, without changing anything.")
    static final class Plan implements Callable<Integer> {
        @Mixin
        ControlSocketOption master;

        @Option(names = {"-c", "--config"}, paramLabel = "FILE",
                description = "The configuration to compare (default: the file the master runs, e.g. "
                        + ConfigLoader.DEFAULT_PATH + ").")
        Path file;

        @Override
        public Integer call() {
            String path = file == null ? null : file.toAbsolutePath().toString();
            return master.act(new ControlRequest("reload", null, false, true, path));
        }
    }
}
