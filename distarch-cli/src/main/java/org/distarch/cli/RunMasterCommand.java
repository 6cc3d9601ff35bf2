package org.distarch.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.distarch.config.ConfigException;
import org.distarch.config.ConfigLoader;
import org.distarch.control.socket.ControlServer;
import org.distarch.admin.Insights;
import org.distarch.history.HistoryOptions;
import org.distarch.history.HistoryWriter;
import org.distarch.metrics.FleetMetrics;
import org.distarch.config.DistarchConfig;
import org.distarch.launch.generation.Generation;
import org.distarch.launch.local.LocalLauncher;
import org.distarch.master.Master;
import org.distarch.master.MasterOptions;
import org.distarch.master.SelfCommand;
import org.distarch.master.StartupChecks;
import org.distarch.master.UnsupportedConfigException;
import org.distarch.output.LineSplitter;
import org.distarch.output.LogFormat;
import org.distarch.output.LogRecord;
import org.distarch.output.LogSink;
import org.distarch.supervise.ThreadScheduler;
import org.distarch.worker.protocol.LogLevel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "run-master", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Runs every process of the configuration in the foreground.",
            "",
            "Logs their output with a [group] [host] [process] prefix, restarts crashed (with backoff) and "
                    + "silent (--max-process-timeout) ones, and stops them all cleanly.",
            "",
            "SIGTERM or Ctrl-C stops gracefully (ask, wait up to --timeout, then kill); a second Ctrl-C kills at once.",
            "SIGUSR1 reloads the configuration. SIGHUP stops a foreground master gracefully; a service reopens its log "
                    + "and the per-process log files instead (distarch logs --reopen does that for any master).",
            "Under nohup a foreground master keeps SIGHUP ignored; a SIGTERM its parent ignored is handled all "
                    + "the same.",
            "",
            "--service runs the same as a detached service (own session, log file, pid file) that never exits by "
                    + "itself; --stop stops the master of a pid file. Every master writes its pid file (--pid).",
            ""
        },
        footer = {"", "Exit codes: 0 all processes ended or were stopped; 1 a process or pre-run check failed, no process",
            "ever ran, or the fleet was killed for silence; 2 invalid configuration or command line, a group that",
            "cannot start on this machine (nothing is started), or a master already runs at --pid.",
            "--stop: 0 stopped, 1 not stopped in time, 2 no master running."})
final class RunMasterCommand implements Callable<Integer> {

    private final AppContext app;

    @Mixin
    ConfigOption config;

    @Mixin
    SshOptions ssh;

    @Mixin
    AdminOptions admin;

    @Option(names = "--max-running-time", paramLabel = "SECONDS", defaultValue = "0",
            description = "Gracefully stop every process after this long, then exit; with --service, start them "
                    + "all again and do so every SECONDS (never exit). 0 (default): run until every process has "
                    + "ended.")
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

    @Option(names = "--service", description = "Run as a detached service that never exits by itself (when every "
            + "process has ended, the groups start again); returns once the service is running.")
    boolean service;

    @Option(names = "--user", paramLabel = "USER", description = "With --service, as root (then required): run the "
            + "service and every process it starts as this user. Ignored when not root.")
    String user;

    @Option(names = "--group", paramLabel = "GROUP", description = "With --service and --user: run as this group "
            + "(default: the user's own group). Ignored when not root.")
    String group;

    @Option(names = "--log", paramLabel = "FILE", description = "With --service: the log file, reopened on SIGHUP "
            + "(default: " + ServicePaths.DEFAULT_LOG + ").")
    String logFile;

    @Option(names = "--pid", paramLabel = "FILE", description = "The pid file every master writes; a second master on "
            + "the same file is refused (default: " + ServicePaths.DEFAULT_PID + ").")
    String pidFile;

    @Option(names = "--stop", description = "Stop the master of the --pid file (SIGTERM) and wait up to --timeout "
            + "(+10 s) for it to be gone.")
    boolean stop;

    /** Set by {@code --service} on the service it starts: this process is the service. */
    @Option(names = ServiceLauncher.DETACHED, hidden = true)
    boolean detached;

    @Spec
    CommandSpec spec;

    RunMasterCommand(AppContext app) {
        this.app = app;
    }

    @Override
    public Integer call() throws InterruptedException {
        if (stop) {
            return new StopMaster(System.out, System.err).stop(pidPath(),
                    Duration.ofSeconds(Math.max(0, timeout)).plus(StopMaster.MARGIN));
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
                    false).withService(detached);
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
        // Before anything starts: a group that cannot start here is refused now, in one line, not crash-looped.
        StartupChecks.Report report = StartupChecks.check(loaded, app.workers().keySet());
        if (!report.ok()) {
            report.problems().forEach(p -> System.err.println(p.format(loaded.source())));
            System.err.println("Nothing was started: fix the configuration (or this machine) and run again.");
            return ExitCodes.CONFIG;
        }
        AdminOptions.Resolved api;
        try {
            api = admin.resolve(loaded.admin());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return ExitCodes.USAGE;
        }
        HistoryOptions historyOptions;
        try {
            historyOptions = MasterHistory.options(pidPath(), loaded.admin().history(), System::getenv);
        } catch (IllegalArgumentException e) {
            System.err.println(loaded.source() + ": " + e.getMessage());
            return ExitCodes.CONFIG;
        }
        if (service && !detached) {
            return new ServiceLauncher(System.out, System.err).launch(pidPath(), logPath(), user, group,
                    spec.commandLine().getParseResult().originalArgs(), app.mainClass().getName());
        }
        noticeIgnoredOptions();
        Clock clock = Clock.systemDefaultZone();
        try (MasterSession session = MasterSession.open(pidPath(), pidFile != null, detached ? logPath() : null, format);
                LocalLauncher launcher = new LocalLauncher(LineSplitter.DEFAULT_MAX_LINE_BYTES);
                ThreadScheduler scheduler = new ThreadScheduler(clock, t -> session.log().write(new LogRecord(
                        clock.millis(), LogLevel.ERROR, null, "Internal error in supervision: " + stackTrace(t), null)));
                Generation generation = Generation.begin(ServicePaths.journalFor(pidPath()), launcher,
                        "the previous master", line -> session.log().write(new LogRecord(clock.millis(), LogLevel.INFO,
                                null, line, null)), line -> session.log().write(new LogRecord(clock.millis(),
                                LogLevel.WARN, null, line, null)))) {
            FleetMetrics metrics = new FleetMetrics();
            LogSink log = metrics.countingOutput(session.log());
            loaded.warnings().forEach(warning ->
                    log.write(new LogRecord(clock.millis(), LogLevel.WARN, null, warning.format(), null)));
            Master.Builder builder = Master.builder(loaded).options(options).launcher(generation.launcher())
                    .scheduler(scheduler)
                    .log(log).self(SelfCommand.ofJava(app.mainClass().getName()))
                    .stateFile(ServicePaths.stateFor(pidPath()));
            builder.remote(ssh.launchers(SelfCommand.ofJava(app.mainClass().getName())));
            app.workers().values().forEach(builder::command);
            app.listeners().forEach(builder::listener);
            builder.listener(session.readiness());
            HistoryWriter history = MasterHistory.writer(historyOptions, loaded.source(), log, clock);
            builder.listener(history);
            metrics.bindHistory(history::stats);
            builder.listener(metrics);
            Master master = builder.build();
            Signals.install(master, () -> reloadOnSignal(master, log, clock),
                    session.reopenOnHangup(master::reopenLogFiles),
                    notice -> log.write(new LogRecord(clock.millis(), LogLevel.INFO, null, notice, null)));
            AdminRun adminRun;
            try {
                adminRun = AdminRun.start(api, loaded, master, () -> config.loadWithFingerprint(app), pidPath(), log,
                        new Insights(historyOptions, history::runId, metrics).withReopen(() -> {
                            session.reopenLog();
                            master.reopenLogFiles();
                        }), history, clock);
            } catch (org.distarch.admin.AdminStartException e) {
                history.close();
                metrics.close();
                System.err.println(e.getMessage());
                return ExitCodes.USAGE;
            }
            history.start();
            try (metrics; history; AdminRun http = adminRun; ControlServer control = startControl(master, session, log, clock)) {
                return master.run();
            } catch (UnsupportedConfigException e) {
                log.write(new LogRecord(clock.millis(), LogLevel.ERROR, null, e.getMessage(), null));
                return ExitCodes.USAGE;
            }
        } catch (MasterSession.StartException e) {
            System.err.println(e.getMessage());
            return e.exitCode();
        }
    }

    private Path pidPath() {
        return Path.of(pidFile != null ? pidFile : ServicePaths.DEFAULT_PID).toAbsolutePath();
    }

    private Path logPath() {
        return Path.of(logFile != null ? logFile : ServicePaths.DEFAULT_LOG).toAbsolutePath();
    }

    /** The seed ignores the service-only options in the foreground; we say so. */
    private void noticeIgnoredOptions() {
        if (detached) {
            return;
        }
        if (user != null || group != null) {
            System.err.println("Notice: --user and --group apply only with --service; ignored.");
        }
        if (logFile != null) {
            System.err.println("Notice: --log applies only with --service (in the foreground the log goes to standard "
                    + "output); ignored.");
        }
    }

    /** SIGUSR1: the same reload as {@code distarch reload}, its outcome in the log. */
    private void reloadOnSignal(Master master, LogSink log, Clock clock) {
        try {
            master.reload(config.load(app), false).thenAccept(r -> {
                if (!r.ok()) {
                    log.write(new LogRecord(clock.millis(), LogLevel.ERROR, null, "SIGUSR1: " + r.message(), null));
                }
            });
        } catch (ConfigException | IllegalStateException e) {
            log.write(new LogRecord(clock.millis(), LogLevel.ERROR, null,
                    "SIGUSR1: reload refused, the running fleet is untouched:\n" + e.getMessage(), null));
        }
    }

    /** The control socket beside the pid file; without it (e.g. a path too long for a socket) the master still runs. */
    private ControlServer startControl(Master master, MasterSession session, LogSink log, Clock clock) {
        java.nio.file.Path socket = ServicePaths.socketFor(java.nio.file.Path.of(
                pidFile != null ? pidFile : ServicePaths.DEFAULT_PID));
        try {
            return ControlServer.start(socket, master,
                    path -> path == null ? config.load(app) : ConfigLoader.load(java.nio.file.Path.of(path)),
                    ControlServer.Limits.DEFAULT, master.logs(), () -> {
                        session.reopenLog();
                        master.reopenLogFiles();
                    });
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
