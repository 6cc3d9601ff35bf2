package org.distarch.master;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.distarch.config.DistarchConfig;
import org.distarch.config.GroupConfig;
import org.distarch.config.QueueGroupConfig;
import org.distarch.event.DistarchListener;
import org.distarch.event.ProcessRole;
import org.distarch.event.QueueEvent;
import org.distarch.control.ControlPlane;
import org.distarch.control.ControlResult;
import org.distarch.control.MasterStatus;
import org.distarch.event.DistarchListener;
import org.distarch.event.EventBus;
import org.distarch.event.MasterEvent;
import org.distarch.instance.InstanceState;
import org.distarch.launch.Launcher;
import org.distarch.output.EventLogger;
import org.distarch.output.LogRecord;
import org.distarch.output.LogSink;
import org.distarch.restart.RestartPolicy;
import org.distarch.supervise.InstancePlan;
import org.distarch.supervise.InstanceSupervisor;
import org.distarch.supervise.Supervised;
import org.distarch.supervise.Scheduler;
import org.distarch.worker.WorkerCommand;
import org.distarch.worker.protocol.LogLevel;

/**
 * Runs one fleet from start to end: plans the instances, runs the pre-run checks, starts everything,
 * watches the fleet-wide timers ({@code --max-running-time}, {@code --timeout}, {@code max_memory}), takes
 * operators' requests ({@link ControlPlane}) and stops everything in order. {@link #run()} blocks until the
 * master is done and returns the exit code. All fleet state lives on the scheduler's thread.
 *
 * <p>Exit codes: 0 when every process ended or was stopped as asked; 1 when a process was given up, a
 * group failed its pre-run check, or the fleet was killed for silence. A service ({@code service} option)
 * never ends by itself: when every process has ended it starts the groups again.
 */
public final class Master implements ControlPlane {

    private static final Duration SERVICE_RESTART_DELAY = Duration.ofSeconds(1);

    private final MasterOptions options;
    private final Launcher launcher;
    private final Scheduler scheduler;
    private final Clock clock;
    private final LogSink log;
    private final EventBus bus;
    private final FleetPlanner planner;
    private final Map<String, WorkerCommand> commands;
    private final Random random;
    private final Fleet fleet;
    private final FleetControl control;

    private final CountDownLatch done = new CountDownLatch(1);
    private final AtomicLong lastContent = new AtomicLong();
    private final MemoryWatch memory = new MemoryWatch();
    private final FeederGate gate = new FeederGate();
    private DistarchConfig config;
    private final List<InstancePlan> givenPlans;
    private final RemoteConnector remoteConnector;
    private final String host;
    private final boolean remote;
    private long startedAt;
    private boolean started;
    private boolean stopping;
    private boolean finished;
    private boolean contentTimedOut;
    private boolean checksFailed;
    private boolean restartScheduled;
    private String stopReason = "every process ended";
    private int exitCode;
    private Scheduler.Cancellable shutdownDeadline = Scheduler.Cancellable.NONE;

    private Master(Builder b) {
        this.config = b.config;
        this.options = b.options;
        this.launcher = b.launcher;
        this.scheduler = b.scheduler;
        this.clock = b.scheduler.clock();
        this.log = b.log;
        this.planner = new FleetPlanner(b.self);
        this.commands = Map.copyOf(b.commands);
        this.random = b.random;
        this.bus = new EventBus((listener, e) -> log.write(new LogRecord(clock.millis(), LogLevel.ERROR, null,
                "Event listener " + listener.getClass().getName() + " failed: " + e, null)));
        this.bus.subscribe(new EventLogger(log, b.host));
        b.listeners.forEach(bus::subscribe);
        this.bus.subscribe(new DistarchListener() {
            @Override
            public void onFeederListening(QueueEvent.FeederListening e) {
                scheduler.execute(() -> {
                    if (!stopping && !finished) {
                        gate.listening(e.process().group(), Supervised::start);
                    }
                });
            }
        });
        this.fleet = new Fleet(this::supervisor);
        this.control = new FleetControl(fleet, planner, this);
        this.givenPlans = b.plans;
        this.remoteConnector = b.remoteConnector;
        this.host = b.host;
        this.remote = b.remote;
    }

    public static Builder builder(DistarchConfig config) {
        return new Builder(config);
    }

    /** Runs the fleet; returns when the master is done. */
    public int run() throws InterruptedException {
        startedAt = clock.millis();
        bus.publish(new MasterEvent.Starting(clock.instant(), host, remote));
        List<InstancePlan> plans = runnablePlans();
        scheduler.execute(() -> startAll(plans));
        done.await();
        bus.publish(new MasterEvent.Stopped(clock.instant(), host, remote, exitCode, stopReason));
        bus.close();
        log.flush();
        return exitCode;
    }

    /** Stops every process gracefully; after {@code --timeout} what is left is killed. Thread-safe. */
    public void requestStop(String reason) {
        scheduler.execute(() -> stopAll(reason));
    }

    /** Kills every process now. Thread-safe. */
    public void forceStop(String reason) {
        scheduler.execute(() -> {
            stopAll(reason);
            info(LogLevel.WARN, "Forced stop: killing every process");
            fleet.all().forEach(Supervised::kill);
        });
    }

    /** Adds a listener; call before {@link #run()}. */
    public void subscribe(DistarchListener listener) {
        bus.subscribe(listener);
    }

    // ---- control plane: the operations live in FleetControl, run on the supervision thread ----------

    @Override
    public CompletableFuture<MasterStatus> status() {
        return onSupervisionThread(control::status);
    }

    @Override
    public CompletableFuture<ControlResult> suspend(String group, boolean force) {
        return onSupervisionThread(() -> control.suspend(group, force));
    }

    @Override
    public CompletableFuture<ControlResult> resume(String group) {
        return onSupervisionThread(() -> control.resume(group));
    }

    @Override
    public CompletableFuture<ControlResult> stop() {
        return onSupervisionThread(() -> {
            stopAll("stop requested through the control socket");
            return ControlResult.done("Stopping the master (grace " + options.timeout().toSeconds() + "s)");
        });
    }

    @Override
    public CompletableFuture<ControlResult> reload(DistarchConfig newConfig, boolean dryRun) {
        return onSupervisionThread(() -> control.reload(newConfig, dryRun));
    }

    private <T> CompletableFuture<T> onSupervisionThread(Supplier<T> action) {
        CompletableFuture<T> result = new CompletableFuture<>();
        scheduler.execute(() -> {
            try {
                result.complete(action.get());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    // ---- life of the fleet ---------------------------------------------------------------------------

    private Supervised supervisor(InstancePlan plan, Consumer<Supervised> onSettled) {
        RestartPolicy policy = new RestartPolicy(plan.restart(), options.maxProcessTimeout(), random::nextDouble);
        Supervised[] self = new Supervised[1];
        self[0] = new InstanceSupervisor(plan, launcher, scheduler, log, bus::publish, policy, this::alive, () -> {
            onSettled.accept(self[0]);
            settled(self[0]);
        });
        return self[0];
    }

    private List<InstancePlan> runnablePlans() {
        if (givenPlans != null) {
            return givenPlans;
        }
        PreRunChecks checks = new PreRunChecks(commands, log, clock, this::info);
        Map<String, Boolean> passed = new LinkedHashMap<>();
        for (GroupConfig group : config.groups()) {
            boolean ok = checks.passes(group);
            checksFailed |= !ok;
            passed.put(group.name(), ok);
        }
        for (QueueGroupConfig group : config.queueGroups()) {
            boolean ok = checks.passes(group);
            checksFailed |= !ok;
            passed.put(group.name(), ok);
        }
        return planner.plan(config).stream().filter(p -> passed.getOrDefault(p.identity().group(), true)).toList();
    }

    private void startAll(List<InstancePlan> plans) {
        if (stopping || finished) {
            finish();
            return;
        }
        started = true;
        lastContent.set(clock.millis());
        Map<List<Object>, List<InstancePlan>> sessions = new LinkedHashMap<>();
        for (InstancePlan plan : plans) {
            if (plan.remote() == null) {
                fleet.add(plan);
            } else {
                sessions.computeIfAbsent(List.of(plan.identity().group(), plan.remote()), k -> new ArrayList<>()).add(plan);
            }
        }
        RemoteConnector.Context context = new RemoteConnector.Context(scheduler, log, bus::publish, this::alive,
                member -> {
                    fleet.settled(member);
                    settled(member);
                }, options);
        for (List<InstancePlan> session : sessions.values()) {
            if (remoteConnector == null) {
                throw new UnsupportedConfigException("group \"" + session.get(0).identity().group()
                        + "\" has remote entries, but this master has no way to reach remote hosts");
            }
            remoteConnector.connect(session, context).forEach(fleet::addMember);
        }
        gate.start(fleet.all(), Supervised::start);
        bus.publish(new MasterEvent.Started(clock.instant(), host, remote, fleet.all().size()));
        scheduleRunningEvent();
        if (!options.maxRunningTime().isZero()) {
            scheduler.schedule(options.maxRunningTime(), () -> stopAll("--max-running-time of "
                    + options.maxRunningTime().toSeconds() + "s reached"));
        }
        scheduler.schedule(options.timeout(), this::checkContent);
        // Sampled even when no group sets max_memory now: a reload may add one.
        scheduler.schedule(MemoryWatch.INTERVAL, this::checkMemory);
        checkDone();
    }

    private void alive(long epochMillis) {
        lastContent.lazySet(epochMillis);
    }

    private void scheduleRunningEvent() {
        scheduler.schedule(Duration.ofSeconds(1), () -> {
            if (finished) {
                return;
            }
            int running = (int) fleet.all().stream().filter(s -> s.state() == InstanceState.RUNNING).count();
            bus.publish(new MasterEvent.Running(clock.instant(), host, remote, running));
            scheduleRunningEvent();
        });
    }

    private void checkContent() {
        if (stopping || finished) {
            return;
        }
        if (!fleet.anyProcess()) {
            // Nothing runs (all suspended, or between service restarts): silence is expected.
            lastContent.set(clock.millis());
        }
        long silence = clock.millis() - lastContent.get();
        long timeout = options.timeout().toMillis();
        if (silence < timeout) {
            scheduler.schedule(Duration.ofMillis(timeout - silence), this::checkContent);
            return;
        }
        contentTimedOut = true;
        info(LogLevel.ERROR, "Timeout waiting for content, force kill");
        stopAll("no process said anything for " + options.timeout().toSeconds() + "s");
        fleet.all().forEach(Supervised::kill);
    }

    private void checkMemory() {
        if (finished) {
            return;
        }
        if (!stopping) {
            memory.sample(fleet.all());
        }
        scheduler.schedule(MemoryWatch.INTERVAL, this::checkMemory);
    }

    private void stopAll(String reason) {
        if (stopping || finished) {
            return;
        }
        stopping = true;
        stopReason = reason;
        info(LogLevel.INFO, "Stopping... (" + reason + ")");
        fleet.all().forEach(s -> s.stop(reason, null));
        shutdownDeadline = scheduler.schedule(options.timeout(), () -> {
            if (!finished) {
                info(LogLevel.WARN, "Timeout waiting for clean shutdown, force kill");
                fleet.all().forEach(Supervised::kill);
            }
        });
        checkDone();
    }

    private void settled(Supervised s) {
        var id = s.plan().identity();
        if (id.role() == ProcessRole.FEEDER && s.state().isTerminal() && gate.holds(id.group())) {
            for (Supervised consumer : gate.feederGone(id.group())) {
                consumer.stop("the feeder of \"" + id.group() + "\" never listened", null);
            }
        }
        checkDone();
    }

    /** Called whenever an instance settles: ends the master, or (service) starts the groups again. */
    void checkDone() {
        if (finished || !started || !fleet.allTerminal()) {
            return;
        }
        if (stopping) {
            finish();
            return;
        }
        if (!fleet.suspended().isEmpty() && (fleet.allSuspended() || !options.service())) {
            return; // an operator suspended groups: wait for resume (or stop), in the foreground too
        }
        if (!options.service()) {
            finish();
            return;
        }
        if (restartScheduled) {
            return;
        }
        restartScheduled = true;
        info(LogLevel.INFO, "Every process has ended: starting the groups again");
        scheduler.schedule(SERVICE_RESTART_DELAY, () -> {
            restartScheduled = false;
            if (stopping || finished) {
                return;
            }
            gate.start(fleet.all().stream().filter(s -> !fleet.isSuspended(s.plan().identity().group())).toList(),
                    Supervised::resume);
        });
    }

    private void finish() {
        if (finished) {
            return;
        }
        finished = true;
        shutdownDeadline.cancel();
        boolean anyFailed = fleet.all().stream().anyMatch(s -> s.state() == InstanceState.FAILED);
        exitCode = contentTimedOut || anyFailed || checksFailed ? 1 : 0;
        if (fleet.all().isEmpty() && !stopping) {
            stopReason = "nothing to run";
        } else if (anyFailed && !stopping) {
            stopReason = "every process ended or was given up";
        }
        done.countDown();
    }

    // ---- what FleetControl reads and changes (supervision thread) --------------------------------------

    boolean stopping() {
        return stopping;
    }

    DistarchConfig config() {
        return config;
    }

    void config(DistarchConfig newConfig) {
        config = newConfig;
    }

    long startedAt() {
        return startedAt;
    }

    boolean service() {
        return options.service();
    }

    void info(LogLevel level, String message) {
        log.write(new LogRecord(clock.millis(), level, null, message, null));
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
        private List<InstancePlan> plans;
        private RemoteConnector remoteConnector;
        private String host = FleetPlanner.LOCAL_HOST;
        private boolean remote;

        private Builder(DistarchConfig config) {
            this.config = config;
        }

        public Builder options(MasterOptions options) {
            this.options = options;
            return this;
        }

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

        /**
         * Runs exactly these instances instead of planning the configuration (a remote host's relay: the main
         * master planned them and ran the pre-run checks).
         */
        public Builder plans(List<InstancePlan> plans) {
            this.plans = List.copyOf(plans);
            return this;
        }

        /** How to run remote entries (without one, a configuration with remote entries is refused). */
        public Builder remote(RemoteConnector connector) {
            this.remoteConnector = connector;
            return this;
        }

        /** The host this master runs on, and whether it is a remote host's relay (for its master events). */
        public Builder host(String host, boolean remote) {
            this.host = host;
            this.remote = remote;
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
