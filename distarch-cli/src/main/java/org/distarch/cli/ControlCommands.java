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

        @Option(names = "--persist", description = "Keep the group suspended when the master is started again "
                + "(recorded in the state file beside the pid file), until resume.")
        boolean persist;

        @Override
        public Integer call() {
            return master.act(new ControlRequest("suspend", group, force, false, null, null, persist, null, null,
                    null));
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true,
            description = "Starts a suspended group (all groups without GROUP) again, with clean failure budgets; "
                    + "a persisted suspension ends too. Processes an operator stopped stay stopped (start them).")
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

    @Command(name = "stop", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Without TARGET, --host or --all: stops the master gracefully (a service too), as SIGTERM "
                    + "would; returns at once.",
                "With them: stops those processes and holds them down: they stay stopped (not restarted by their "
                    + "restart policy, resume, reload or a service's new cycle) until start; the master keeps "
                    + "running. Graceful (each gets its group's stop_timeout) unless --force."},
            footer = {"", "Exit codes: 0 done, 1 refused (e.g. no such process), 2 no master answered or bad usage."})
    static final class Stop implements Callable<Integer> {
        @Mixin
        ControlSocketOption master;

        @Parameters(arity = "0..1", paramLabel = "TARGET", description = TargetOptions.TARGET)
        String target;

        @Mixin
        TargetOptions processes;

        @Option(names = "--force", description = "With processes: kill them at once instead of asking them to stop.")
        boolean force;

        @Option(names = "--persist", description = "With processes: keep them stopped when the master is started "
                + "again (recorded in the state file beside the pid file), until start.")
        boolean persist;

        @Override
        public Integer call() {
            if (!processes.with(target).given()) {
                if (force || persist) {
                    throw new picocli.CommandLine.ParameterException(processes.spec.commandLine(),
                            "--force and --persist apply to a stop of processes: name them (TARGET, --host or --all)");
                }
                return master.act(ControlRequest.of("stop"));
            }
            return master.act(ControlRequest.on("stop-processes", processes.resolve(), force, persist, null));
        }
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = "Starts the processes named that do not run (stopped by an operator, of an autostart: false "
                    + "group, ended, given up or waiting to restart), with clean failure budgets; a persisted stop "
                    + "ends too. Processes of a suspended group are left alone (resume it).",
            footer = {"", "Exit codes: 0 done, 1 refused (e.g. no such process), 2 no master answered or bad usage."})
    static final class Start implements Callable<Integer> {
        @Mixin
        ControlSocketOption master;

        @Parameters(arity = "0..1", paramLabel = "TARGET", description = TargetOptions.TARGET)
        String target;

        @Mixin
        TargetOptions processes;

        @Override
        public Integer call() {
            return master.act(ControlRequest.on("start", processes.with(target).resolve(), false, false, null));
        }
    }

    @Command(name = "signal", mixinStandardHelpOptions = true,
            description = "Sends SIGNAL (TERM, INT, QUIT, HUP, USR1, USR2, KILL, STOP, CONT, WINCH, ALRM, TSTP, TTIN, "
                    + "TTOU, PWR; with or without SIG) to the process group of each running process named, local or "
                    + "remote. A process that exits of it is restarted as its restart policy says.",
            footer = {"", "Exit codes: 0 sent, 1 refused (no such process or signal, none running), 2 no master "
                    + "answered or bad usage."})
    static final class Signal implements Callable<Integer> {
        @Mixin
        ControlSocketOption master;

        @Parameters(index = "0", paramLabel = "SIGNAL", description = "The signal, e.g. USR1 or SIGHUP.")
        String signal;

        @Parameters(index = "1", arity = "0..1", paramLabel = "TARGET", description = TargetOptions.TARGET)
        String target;

        @Mixin
        TargetOptions processes;

        @Override
        public Integer call() {
            return master.act(ControlRequest.on("signal", processes.with(target).resolve(), false, false, signal));
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
