package org.distarch.master;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.distarch.config.DistarchConfig;
import org.distarch.control.ControlPlane;
import org.distarch.control.ControlResult;
import org.distarch.control.MasterStatus;
import org.distarch.control.RollingOptions;
import org.distarch.control.Target;
import org.distarch.event.DistarchListener;
import org.distarch.event.bus.EventBus;
import org.distarch.event.MasterEvent;
import org.distarch.launch.Launcher;
import org.distarch.logs.ProcessLogs;
import org.distarch.output.EventLogger;
import org.distarch.output.LogRecord;
import org.distarch.output.LogSink;
import org.distarch.supervise.Scheduler;
import org.distarch.supervise.SupervisionStats;
import org.distarch.worker.WorkerCommand;
import org.distarch.worker.protocol.LogLevel;

/**
 * Runs one fleet from start to end: plans the instances and runs the pre-run checks ({@link StartUpPlan}),
 * hands them to the {@link FleetRunner} on the supervision thread, takes operators' requests
 * ({@link ControlPlane}) and returns the exit code from {@link #run()} once everything has stopped. Local and
 * remote instances are supervised alike; only their launcher differs.
 *
 * <p>Exit codes: 0 when every process ended or was stopped as asked; 1 when a process was given up, a
 * group failed its pre-run check, or the fleet was killed for silence. A service ({@code service} option)
 * never ends by itself: when every process has ended it starts the groups again, and with
 * {@code --max-running-time} it recycles the whole fleet that often (everything stopped gracefully, then
 * started again); each cycle is announced by {@code master_starting} and {@code master_started}.
 */
public final class Master implements ControlPlane {

    /** {@code -Ddistarch.stats=true}: log the supervision thread's figures at the end (bin/bench does). */
    private static final boolean STATS = Boolean.getBoolean("distarch.stats");

    private final MasterOptions options;
    private final Scheduler scheduler;
    private final Clock clock;
    private final LogSink log;
    private final EventBus bus;
    private final FleetPlanner planner;
    private final Map<String, WorkerCommand> commands;
    private final RemoteLaunchers remote;
    private final FleetRunner runner;
    private final FleetControl control;
    private final ProcessLogs logs;
    private final UsageSampler usage = new UsageSampler();
    private final DistarchConfig config;
    private final OperatorState persisted;
    private volatile long startedAt;
    /** Set once run() is over: the supervision thread may be gone, so requests are refused at once. */
    private volatile boolean ended;

    private Master(Builder b) {
        this.config = b.config;
        this.options = b.options;
        this.scheduler = b.scheduler;
        this.clock = b.scheduler.clock();
        this.log = b.log;
        this.planner = new FleetPlanner(b.self);
        this.commands = Map.copyOf(b.commands);
        this.bus = new EventBus((listener, e) -> log.offer(new LogRecord(clock.millis(), LogLevel.ERROR, null,
                "Event listener " + listener.getClass().getName() + " failed: " + e, null)),
                (listener, notice) -> log.offer(new LogRecord(clock.millis(), LogLevel.WARN, null,
                        "Event listener " + listener.getClass().getName() + ": " + notice, null)));
        // The log hears only what it writes, so a flood of queue events cannot crowd out a process's end.
        this.bus.subscribe(new EventLogger(log), EventLogger.QUEUE_CAPACITY, EventLogger::logs);
        b.listeners.forEach(this::subscribe);
        this.remote = b.remote == null ? null : b.remote.open(scheduler, log, bus::publish);
        this.logs = new ProcessLogs(notice -> log.offer(new LogRecord(clock.millis(), LogLevel.WARN, null, notice,
                null)));
        this.runner = new FleetRunner(options, scheduler, log, bus::publish, b.launcher, remote, b.random,
                FleetPlanner.LOCAL_HOST, logs);
        this.persisted = b.stateFile == null ? OperatorState.none()
                : OperatorState.load(b.stateFile, problem -> info(LogLevel.ERROR, problem));
        this.control = new FleetControl(runner, planner, b.config, options.service(), () -> startedAt, persisted);
        this.control.listeners(bus::stats);
        if (remote != null) {
            this.control.relays(remote::relays);
        }
    }

    public static Builder builder(DistarchConfig config) {
        return new Builder(config);
    }

    /**
     * Runs the fleet; returns its exit code once every process has stopped.
     *
     * @throws UnsupportedConfigException when the configuration asks for something this master cannot run
     */
    public int run() throws InterruptedException {
        startedAt = clock.millis();
        bus.publish(new MasterEvent.Starting(clock.instant(), FleetPlanner.LOCAL_HOST, false));
        try {
            StartUpPlan planned = StartUpPlan.checked(config, planner, commands, log, clock, this::info);
            planned.requireRemoteReachable(remote != null);
            scheduler.execute(() -> {
                planned.keepPersistedDown(persisted, config, runner, this::info);
                runner.startUp(planned.plans(), planned.checksFailed());
            });
            int code;
            try {
                code = runner.done().get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            } finally {
                if (remote != null) {
                    remote.close();
                }
            }
            bus.publish(new MasterEvent.Stopped(clock.instant(), FleetPlanner.LOCAL_HOST, false, code,
                    runner.stopReason()));
            if (STATS) {
                logStats();
            }
            return code;
        } finally {
            bus.close();
            ended = true;
            usage.close();
            logs.close();
            log.flush();
        }
    }

    /**
     * Every process's last output lines, to query and follow ({@code distarch logs}, the HTTP API). Kept while
     * the master runs; safe from any thread, and nothing done with it can slow supervision.
     */
    public ProcessLogs logs() {
        return logs;
    }

    /** Reopens the per-process log files (after logrotate moved them). Returns at once; thread-safe. */
    public void reopenLogFiles() {
        logs.reopenFiles();
    }

    /** Stops every process gracefully; after {@code --timeout} what is left is killed. Thread-safe. */
    public void requestStop(String reason) {
        scheduler.execute(() -> runner.stopAll(reason, options.timeout()));
    }

    /** Kills every process now. Thread-safe. */
    public void forceStop(String reason) {
        scheduler.execute(() -> runner.forceStop(reason));
    }

    /** Adds a listener (its {@link DistarchListener#attached} first); call before {@link #run()}. */
    public void subscribe(DistarchListener listener) {
        listener.attached(controlPlane("stop requested by event listener " + listener.getClass().getName()));
        bus.subscribe(listener, listener.queueCapacity(), listener::wants);
    }

    /**
     * This master's control plane for one asker: the same operations, with a stop of the master logged as
     * {@code stopReason} ("stop requested through the HTTP API"), so the log says who stopped it.
     */
    public ControlPlane controlPlane(String stopReason) {
        return new AttributedControlPlane(this, stopReason);
    }

    // ---- control plane: the operations live in FleetControl, run on the supervision thread ----------

    @Override
    public CompletableFuture<MasterStatus> status() {
        // Built on the supervision thread; CPU and memory read off it (UsageSampler), as /proc is slow at scale.
        return onSupervisionThread(control::snapshot).thenCompose(usage::complete);
    }

    @Override
    public CompletableFuture<ControlResult> suspend(String group, boolean force, boolean persist) {
        return onSupervisionThread(() -> control.suspend(group, force, persist));
    }

    @Override
    public CompletableFuture<ControlResult> start(Target target) {
        return onSupervisionThread(() -> control.processes().start(target));
    }

    @Override
    public CompletableFuture<ControlResult> stop(Target target, boolean force, boolean persist) {
        return onSupervisionThread(() -> control.processes().stop(target, force, persist));
    }

    @Override
    public CompletableFuture<ControlResult> restart(Target target) {
        return onSupervisionThread(() -> control.processes().restart(target));
    }

    @Override
    public CompletableFuture<ControlResult> rollingRestart(String group, RollingOptions options) {
        return onSupervisionThread(() -> control.processes().rollingRestart(group,
                options == null ? RollingOptions.GROUP_SETTINGS : options));
    }

    @Override
    public CompletableFuture<ControlResult> signal(Target target, String signal) {
        return onSupervisionThread(() -> control.processes().signal(target, signal));
    }

    @Override
    public CompletableFuture<ControlResult> resume(String group) {
        return onSupervisionThread(() -> control.resume(group));
    }

    @Override
    public CompletableFuture<ControlResult> stop() {
        return stop("stop requested through the control socket");
    }

    /** Stops the master gracefully, logging {@code reason} as who asked (the admin API, a listener). */
    public CompletableFuture<ControlResult> stop(String reason) {
        return onSupervisionThread(() -> {
            runner.stopAll(reason, options.timeout());
            return ControlResult.done("Stopping the master (grace " + options.timeout().toSeconds() + "s)");
        });
    }

    @Override
    public CompletableFuture<ControlResult> reload(DistarchConfig newConfig, boolean dryRun) {
        return onSupervisionThread(() -> control.reload(newConfig, dryRun));
    }

    /**
     * Runs {@code action} on the supervision thread; the future completes there. Never waits, so a listener
     * may call it from its own thread and join the result: the supervision thread never waits for listeners.
     */
    private <T> CompletableFuture<T> onSupervisionThread(Supplier<T> action) {
        CompletableFuture<T> result = new CompletableFuture<>();
        if (ended) {
            // The supervision thread may be closed: an answer now, rather than a future that never completes.
            result.completeExceptionally(new IllegalStateException("the master has ended"));
            return result;
        }
        scheduler.execute(() -> {
            try {
                result.complete(action.get());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    /** One line: the figures while the fleet stopped, and before; or of the whole run when it ended by itself. */
    private void logStats() {
        SupervisionStats last = scheduler.takeStats();
        SupervisionStats before = runner.statsBeforeStop();
        info(LogLevel.INFO, before == null ? "Supervision: " + last.describe()
                : "Supervision while stopping: " + last.describe() + "; before the stop: " + before.describe());
    }

    private void info(LogLevel level, String message) {
        log.offer(new LogRecord(clock.millis(), level, null, message, null));
    }

    /** Assembles a master; everything but the configuration has a sensible default. */
    public static final class Builder {
        private final DistarchConfig config;
        private MasterOptions options = MasterOptions.DEFAULTS;
        private Launcher launcher;
        private Scheduler scheduler;
        private LogSink log;
        private SelfCommand self;
        private final Map<String, WorkerCommand> commands = new LinkedHashMap<>();
        private final List<DistarchListener> listeners = new ArrayList<>();
        private Random random = new Random();
        private RemoteLaunchers.Factory remote;
        private java.nio.file.Path stateFile;

        private Builder(DistarchConfig config) {
            this.config = config;
        }

        public Builder options(MasterOptions options) {
            this.options = options;
            return this;
        }

        /** How local processes start. */
        public Builder launcher(Launcher launcher) {
            this.launcher = launcher;
            return this;
        }

        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = scheduler;
            return this;
        }

        public Builder log(LogSink log) {
            this.log = log;
            return this;
        }

        public Builder self(SelfCommand self) {
            this.self = self;
            return this;
        }

        public Builder command(WorkerCommand command) {
            this.commands.put(command.name(), command);
            return this;
        }

        public Builder listener(DistarchListener listener) {
            this.listeners.add(listener);
            return this;
        }

        /** How remote entries start (without it, a configuration with remote entries is refused). */
        public Builder remote(RemoteLaunchers.Factory remote) {
            this.remote = remote;
            return this;
        }

        /**
         * Where operators' persisted requests ({@code suspend --persist}, {@code stop --persist}) are kept and read
         * at start (beside the pid file); without it, asking to persist is refused.
         */
        public Builder stateFile(java.nio.file.Path file) {
            this.stateFile = file;
            return this;
        }

        public Builder random(Random random) {
            this.random = random;
            return this;
        }

        public Master build() {
            if (launcher == null || scheduler == null || log == null || self == null) {
                throw new IllegalStateException("launcher, scheduler, log and self are required");
            }
            return new Master(this);
        }
    }
}
