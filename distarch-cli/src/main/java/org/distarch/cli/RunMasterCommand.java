package org.distarch.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.distarch.config.ConfigException;
import org.distarch.config.ConfigLoader;
import org.distarch.control.ControlServer;
import org.distarch.config.DistarchConfig;
import org.distarch.launch.local.LocalLauncher;
import org.distarch.master.Master;
import org.distarch.master.MasterOptions;
import org.distarch.master.SelfCommand;
import org.distarch.master.UnsupportedConfigException;
import org.distarch.output.LineSplitter;
import org.distarch.output.LogFormat;
import org.distarch.output.LogRecord;
import org.distarch.output.StreamLogSink;
import org.distarch.supervise.ThreadScheduler;
import org.distarch.worker.protocol.LogLevel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "run-master", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Runs every process of the configuration in the foreground.",
            "",
            "Logs their output with a [group] [host] [process] prefix, restarts crashed (with backoff) and "
                    + "silent (--max-process-timeout) ones, and stops them all cleanly.",
            "",
            "SIGTERM or Ctrl-C stops gracefully (ask, wait up to --timeout, then kill); a second Ctrl-C kills at once.",
            ""
        },
        footer = {"", "Exit codes: 0 all processes ended or were stopped; 1 a process or pre-run check failed, or the",
            "fleet was killed for silence; 2 invalid configuration or command line."})
final class RunMasterCommand implements Callable<Integer> {

    private final AppContext app;

    @Mixin
    ConfigOption config;

    @Option(names = "--max-running-time", paramLabel = "SECONDS", defaultValue = "0",
            description = "Gracefully stop every process after this long, then exit. 0 (default): run until every "
                    + "process has ended.")
    long maxRunningTime;

    @Option(names = "--max-process-timeout", paramLabel = "COUNT", defaultValue = "3",
            description = "Consecutive silence timeouts after which a process is considered dead and removed "
                    + "(default: ${DEFAULT-VALUE}).")
    int maxProcessTimeout;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "300",
            description = "If no process prints anything for this long, kill everything; also the grace a stop "
                    + "gives processes before killing them (default: ${DEFAULT-VALUE}, at least 5).")
    long timeout;

    @Option(names = "--log-format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text (default) or json (one JSON object per line, for log shippers).")
    String logFormat;

    @Option(names = "--service", description = "Run as a detached service (not available yet).")
    boolean service;

    @Option(names = "--user", paramLabel = "USER", description = "With --service as root: run as this user (not available yet).")
    String user;

    @Option(names = "--group", paramLabel = "GROUP", description = "With --service as root: run as this group (not available yet).")
    String group;

    @Option(names = "--log", paramLabel = "FILE", description = "With --service: the log file (not available yet).")
    String logFile;

    @Option(names = "--pid", paramLabel = "FILE", description = "With --service: the pid file (not available yet).")
    String pidFile;

    @Option(names = "--stop", description = "Stop a running service (not available yet).")
    boolean stop;

    RunMasterCommand(AppContext app) {
        this.app = app;
    }

    @Override
    public Integer call() throws InterruptedException {
        if (service || user != null || group != null || logFile != null || pidFile != null || stop) {
            System.err.println("Service mode (--service, --user, --group, --log, --pid, --stop) is not available in "
                    + "this version yet. Run the master in the foreground, for example under systemd.");
            return ExitCodes.USAGE;
        }
        LogFormat format;
        MasterOptions options;
        try {
            format = LogFormat.valueOf(logFormat.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            System.err.println("--log-format must be text or json (got \"" + logFormat + "\")");
            return ExitCodes.USAGE;
        }
        try {
            options = new MasterOptions(Duration.ofSeconds(maxRunningTime), maxProcessTimeout, Duration.ofSeconds(timeout),
                    false);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return ExitCodes.USAGE;
        }
        DistarchConfig loaded;
        try {
            loaded = config.load(app);
        } catch (ConfigException | IllegalStateException e) {
            System.err.println(e.getMessage());
            return ExitCodes.CONFIG;
        }
        Clock clock = Clock.systemDefaultZone();
        try (StreamLogSink log = new StreamLogSink(new FileOutputStream(FileDescriptor.out), format);
                LocalLauncher launcher = new LocalLauncher(LineSplitter.DEFAULT_MAX_LINE_BYTES);
                ThreadScheduler scheduler = new ThreadScheduler(clock, t -> log.write(new LogRecord(clock.millis(),
                        LogLevel.ERROR, null, "Internal error in supervision: " + stackTrace(t), null)))) {
            Master.Builder builder = Master.builder(loaded).options(options).launcher(launcher).scheduler(scheduler)
                    .log(log).self(SelfCommand.ofJava(app.mainClass().getName()));
            app.workers().values().forEach(builder::command);
            app.listeners().forEach(builder::listener);
            Master master = builder.build();
            Signals.install(master);
            try (ControlServer control = startControl(master, log, clock)) {
                return master.run();
            } catch (UnsupportedConfigException e) {
                log.write(new LogRecord(clock.millis(), LogLevel.ERROR, null, e.getMessage(), null));
                return ExitCodes.USAGE;
            }
        }
    }

    /** The control socket beside the pid file; without it (e.g. a path too long for a socket) the master still runs. */
    private ControlServer startControl(Master master, StreamLogSink log, Clock clock) {
        java.nio.file.Path socket = ServicePaths.socketFor(java.nio.file.Path.of(
                pidFile != null ? pidFile : ServicePaths.DEFAULT_PID));
        try {
            return ControlServer.start(socket, master,
                    path -> path == null ? config.load(app) : ConfigLoader.load(java.nio.file.Path.of(path)));
        } catch (java.io.IOException | RuntimeException e) {
            log.write(new LogRecord(clock.millis(), LogLevel.WARN, null, "No control socket at " + socket + ": " + e
                    + "; status, suspend, resume and reload will not reach this master", null));
            return null;
        }
    }

    private static String stackTrace(Throwable t) {
        java.io.StringWriter w = new java.io.StringWriter();
        t.printStackTrace(new java.io.PrintWriter(w));
        return w.toString().stripTrailing();
    }
}
