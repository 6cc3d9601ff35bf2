package org.distarch.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import io.micrometer.core.instrument.MeterRegistry;
import org.distarch.admin.AdminServer;
import org.distarch.admin.AdminStartException;
import org.distarch.admin.mount.AdminMount;
import org.distarch.config.DistarchConfig;
import org.distarch.control.ControlPlane;
import org.distarch.control.socket.ControlServer;
import org.distarch.event.DistarchListener;
import org.distarch.launch.local.LocalLauncher;
import org.distarch.master.Master;
import org.distarch.master.MasterOptions;
import org.distarch.master.SelfCommand;
import org.distarch.metrics.FleetMetrics;
import org.distarch.output.LineSplitter;
import org.distarch.output.LogFormat;
import org.distarch.output.LogRecord;
import org.distarch.output.LogSink;
import org.distarch.output.StreamLogSink;
import org.distarch.remote.ssh.SshCommand;
import org.distarch.remote.ssh.SshLaunchers;
import org.distarch.supervise.ThreadScheduler;
import org.distarch.worker.WorkerCommand;
import org.distarch.worker.protocol.LogLevel;

/**
 * A master run inside an application that has a life of its own (a web application, a Spring Boot context),
 * rather than from {@code run-master}: the same fleet runner, on a thread of its own, steered through
 * {@link #control()} and stopped by {@link #close()} (gracefully: ask, wait the timeout, then kill).
 *
 * <pre>{@code
 * EmbeddedMaster master = EmbeddedMaster.builder(config, MyApp.class)
 *         .worker(new ResizeCommand())
 *         .listener(new MetricsListener())
 *         .start();
 * master.control().suspend("Resizers", false).join();
 * master.close();   // every process stopped; returns once the fleet has stopped
 * }</pre>
 *
 * Workers are started as from {@code run-master}: the same {@code java}, class path and {@code mainClass}
 * (or {@code java -jar} when this JVM was started so), followed by the command words. The master's log (its
 * own lines and the workers' output) goes to {@code System.out}. It writes no pid file and handles no signals:
 * those belong to the application. Its metrics go to the application's Micrometer registry when one is given
 * ({@link Builder#meterRegistry}); its admin page and HTTP API run on a server of its own
 * ({@link Builder#adminServer}) or in process for the application's server to serve under a path of its own
 * ({@link Builder#adminMount}, {@link #adminMount()}); by default there is none.
 */
public final class EmbeddedMaster implements AutoCloseable {

    private final Master master;
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private final Duration timeout;
    private final List<AutoCloseable> resources;
    private volatile AdminServer admin;
    private volatile boolean adminMounted;

    private EmbeddedMaster(Master master, Duration timeout, List<AutoCloseable> resources) {
        this.master = master;
        this.timeout = timeout;
        this.resources = resources;
    }

    /**
     * @param config    the fleet to run
     * @param mainClass the application's main class, through which worker commands are started
     */
    public static Builder builder(DistarchConfig config, Class<?> mainClass) {
        return new Builder(config, mainClass);
    }

    /** Suspend, resume, reload, stop and status of this master; safe from any thread. */
    public ControlPlane control() {
        return master;
    }

    /**
     * The admin page and API for the application's server to serve ({@link Builder#adminMount}), while the fleet
     * runs; empty without a mount or once the fleet has ended.
     */
    public Optional<AdminMount> adminMount() {
        AdminServer server = admin;
        return server == null || !adminMounted || exit.isDone() ? Optional.empty()
                : Optional.of(server.mount());
    }

    /** Where the admin page is: its own server's URL, or the mount's path ({@code /distarch/}); empty without. */
    public Optional<String> adminUrl() {
        AdminServer server = admin;
        return server == null ? Optional.empty() : Optional.of(server.url());
    }

    /** Completes with the master's exit code (as {@code run-master}'s) once every process has stopped. */
    public CompletableFuture<Integer> exitCode() {
        return exit.copy();
    }

    /** Asks the fleet to stop gracefully and returns at once; {@link #exitCode()} completes when it has. */
    public void stop(String reason) {
        master.requestStop(reason);
    }

    /**
     * Stops the fleet gracefully and waits until it has stopped (at most the timeout plus 10 s, after which
     * every process left is killed). The master's threads end with the fleet, whether it ended by itself or
     * was stopped.
     */
    @Override
    public void close() {
        if (!exit.isDone()) {
            master.requestStop("the application is shutting down");
            try {
                exit.get(timeout.toMillis() + 10_000, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                master.forceStop("the application is shutting down and the graceful stop took too long");
                exit.completeOnTimeout(ExitCodes.FAILED, 10, TimeUnit.SECONDS).join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                master.forceStop("interrupted while stopping");
            } catch (ExecutionException e) {
                // the failure was logged by the master's thread
            }
        }
    }

    private void closeResources() {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                // closing a released resource: nothing left to do
            }
        }
    }

    /** What an embedded master runs and how; {@link #start()} starts it. */
    public static final class Builder {
        private final DistarchConfig config;
        private final Class<?> mainClass;
        private final List<WorkerCommand> workers = new ArrayList<>();
        private final List<DistarchListener> listeners = new ArrayList<>();
        private MasterOptions options = MasterOptions.DEFAULTS;
        private Path controlSocket;
        private Supplier<DistarchConfig> reloadSource;
        private LogFormat logFormat = LogFormat.TEXT;
        private final List<MeterRegistry> registries = new ArrayList<>();
        private EmbeddedAdmin.Placement adminPlacement;

        private Builder(DistarchConfig config, Class<?> mainClass) {
            this.config = Objects.requireNonNull(config, "config");
            this.mainClass = Objects.requireNonNull(mainClass, "mainClass");
        }

        /** A worker command (for its pre-run check; the worker itself runs in its own process). */
        public Builder worker(WorkerCommand command) {
            workers.add(command);
            return this;
        }

        public Builder listener(DistarchListener listener) {
            listeners.add(listener);
            return this;
        }

        /**
         * The options of {@code run-master}: {@code maxRunningTime} (zero: until every process has ended),
         * {@code maxProcessTimeout}, {@code timeout} (the fleet's silence limit and a stop's grace).
         *
         * @param service like {@code --service}: the fleet never ends by itself (groups that ended start again)
         * @throws IllegalArgumentException when a value is out of bounds (the message says which)
         */
        public Builder options(Duration maxRunningTime, int maxProcessTimeout, Duration timeout, boolean service) {
            this.options = new MasterOptions(maxRunningTime, maxProcessTimeout, timeout, false).withService(service);
            return this;
        }

        /** The control socket the {@code status}, {@code suspend}, ... commands reach (none by default). */
        public Builder controlSocket(Path socket) {
            this.controlSocket = socket;
            return this;
        }

        /** Where a reload without a file (the control socket's {@code reload}) reads the configuration again. */
        public Builder reloadSource(Supplier<DistarchConfig> source) {
            this.reloadSource = source;
            return this;
        }

        /** {@code true}: the log as one JSON object per line, as {@code --log-format json}. */
        public Builder jsonLog(boolean json) {
            this.logFormat = json ? LogFormat.JSON : LogFormat.TEXT;
            return this;
        }

        /**
         * The fleet's meters ({@code distarch.processes{group,state}}, restarts, timeouts, output lines, queue
         * items, relay sessions) also in {@code registry}, e.g. the application's, for its actuator; taken out of
         * it again when the fleet has ended.
         */
        // Micrometer is an automatic module: "requires transitive" on it is a warning of its own.
        @SuppressWarnings("exports")
        public Builder meterRegistry(MeterRegistry registry) {
            registries.add(Objects.requireNonNull(registry, "registry"));
            return this;
        }

        /**
         * The admin page and HTTP API on the master's own server, as {@code run-master}'s: at {@code bind}:{@code
         * port} (0: any free port), with the configuration's {@code admin} settings (TLS, users, tokens) and its
         * rule: an address beyond loopback needs TLS and users or tokens.
         */
        public Builder adminServer(String bind, int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("the admin port must be 0 (any free port) to 65535 (got " + port + ")");
            }
            this.adminPlacement = new EmbeddedAdmin.OwnServer(Objects.requireNonNull(bind, "bind"), port);
            return this;
        }

        /**
         * The admin page and HTTP API in process, for the application's server to serve under {@code path}
         * ({@code /distarch}) through {@link EmbeddedMaster#adminMount()}: the same API, auth, CSRF and Origin
         * checks as on the master's own server, and the same rule applied to the application's server.
         *
         * @param hostLoopback whether the application's server listens on loopback addresses only
         * @param hostTls      whether it serves HTTPS
         * @throws IllegalArgumentException when {@code path} is not of the form {@code /name[/name...]}
         */
        public Builder adminMount(String path, boolean hostLoopback, boolean hostTls) {
            if (path == null || !path.matches("(/[A-Za-z0-9._~-]+)+")) {
                throw new IllegalArgumentException("the admin mount path must look like /distarch: a slash and a "
                        + "name, no slash at the end (got \"" + path + "\")");
            }
            this.adminPlacement = new EmbeddedAdmin.Mounted(path, hostLoopback, hostTls);
            return this;
        }

        /**
         * Starts the master on a thread of its own and returns at once.
         *
         * @throws IllegalStateException when the admin server cannot start (its message says why); nothing then runs
         */
        public EmbeddedMaster start() {
            Clock clock = Clock.systemDefaultZone();
            List<AutoCloseable> resources = new ArrayList<>();
            FleetMetrics metrics = new FleetMetrics(registries);
            LogSink log = metrics.countingOutput(new StreamLogSink(System.out, logFormat));
            LocalLauncher launcher = new LocalLauncher(LineSplitter.DEFAULT_MAX_LINE_BYTES);
            ThreadScheduler scheduler = new ThreadScheduler(clock, t -> log.write(new LogRecord(clock.millis(),
                    LogLevel.ERROR, null, "Internal error in supervision: " + stackTrace(t), null)));
            resources.add(log::close);
            resources.add(launcher);
            resources.add(scheduler);
            resources.add(metrics);
            config.warnings().forEach(w -> log.write(new LogRecord(clock.millis(), LogLevel.WARN, null, w.format(), null)));
            SelfCommand self = SelfCommand.ofJava(mainClass.getName());
            Master.Builder builder = Master.builder(config).options(options).launcher(launcher).scheduler(scheduler)
                    .log(log).self(self).remote(SshLaunchers.factory(SshCommand.of(null, List.of(), self.words())));
            workers.forEach(builder::command);
            listeners.forEach(builder::listener);
            builder.listener(metrics);
            Master master = builder.build();
            EmbeddedMaster embedded = new EmbeddedMaster(master, options.timeout(), resources);
            if (adminPlacement != null) {
                try {
                    EmbeddedAdmin.Started admin = EmbeddedAdmin.start(adminPlacement, config, master, reloadSource,
                            metrics, log, clock);
                    resources.add(admin);
                    embedded.adminMounted = adminPlacement instanceof EmbeddedAdmin.Mounted;
                    embedded.admin = admin.server();
                } catch (AdminStartException e) {
                    embedded.closeResources();
                    throw new IllegalStateException("distarch: " + e.getMessage(), e);
                }
            }
            if (controlSocket != null) {
                try {
                    resources.add(ControlServer.start(controlSocket, master, path -> path != null
                            ? org.distarch.config.ConfigLoader.load(Path.of(path))
                            : reloadSource != null ? reloadSource.get() : config));
                } catch (IOException | RuntimeException e) {
                    log.write(new LogRecord(clock.millis(), LogLevel.WARN, null, "No control socket at "
                            + controlSocket + ": " + e, null));
                }
            }
            Thread thread = new Thread(() -> {
                int code;
                try {
                    code = master.run();
                } catch (InterruptedException e) {
                    code = ExitCodes.FAILED;
                } catch (RuntimeException e) {
                    log.write(new LogRecord(clock.millis(), LogLevel.ERROR, null, String.valueOf(e.getMessage()), null));
                    code = ExitCodes.USAGE;
                } finally {
                    embedded.closeResources();
                }
                embedded.exit.complete(code);
            }, "distarch-master");
            thread.start();
            return embedded;
        }
    }

    private static String stackTrace(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return w.toString().stripTrailing();
    }
}
