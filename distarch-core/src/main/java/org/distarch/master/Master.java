package org.distarch.master;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.distarch.config.DistarchConfig;
import org.distarch.config.GroupConfig;
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
import org.distarch.supervise.Scheduler;
import org.distarch.worker.WorkerCommand;
import org.distarch.worker.protocol.LogLevel;

/**
 * Runs one fleet from start to end: plans the instances, runs the pre-run checks, starts everything,
 * watches the fleet-wide timers ({@code --max-running-time}, {@code --timeout}) and stops everything
 * in order. {@link #run()} blocks until the last process is gone and returns the exit code.
 *
 * <p>Exit codes: 0 when every process ended or was stopped as asked; 1 when a process was given up, a
 * group failed its pre-run check, or the fleet was killed for silence.
 */
public final class Master {

    private final DistarchConfig config;
    private final MasterOptions options;
    private final Launcher launcher;
    private final Scheduler scheduler;
    private final Clock clock;
    private final LogSink log;
    private final EventBus bus;
    private final SelfCommand self;
    private final Map<String, WorkerCommand> commands;
    private final Random random;

    private final List<InstanceSupervisor> supervisors = new ArrayList<>();
    private final CountDownLatch done = new CountDownLatch(1);
    private final AtomicLong lastContent = new AtomicLong();
    private boolean stopping;
    private boolean finished;
    private boolean contentTimedOut;
    private boolean checksFailed;
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
        this.self = b.self;
        this.commands = Map.copyOf(b.commands);
        this.random = b.random;
        this.bus = new EventBus((listener, e) -> log.write(new LogRecord(clock.millis(), LogLevel.ERROR, null,
                "Event listener " + listener.getClass().getName() + " failed: " + e, null)));
        this.bus.subscribe(new EventLogger(log));
        b.listeners.forEach(bus::subscribe);
    }

    public static Builder builder(DistarchConfig config) {
        return new Builder(config);
    }

    /** Runs the fleet; returns when every process is gone. */
    public int run() throws InterruptedException {
        bus.publish(new MasterEvent.Starting(clock.instant(), FleetPlanner.LOCAL_HOST, false));
        List<InstancePlan> plans = runnablePlans();
        scheduler.execute(() -> startAll(plans));
        done.await();
        bus.publish(new MasterEvent.Stopped(clock.instant(), FleetPlanner.LOCAL_HOST, false, exitCode, stopReason));
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
            supervisors.forEach(InstanceSupervisor::kill);
        });
    }

    /** Adds a listener; call before {@link #run()}. */
    public void subscribe(DistarchListener listener) {
        bus.subscribe(listener);
    }

    private List<InstancePlan> runnablePlans() {
        List<InstancePlan> plans = new FleetPlanner(self).plan(config);
        Map<String, Boolean> checked = new LinkedHashMap<>();
        for (GroupConfig group : config.groups()) {
            checked.put(group.name(), preRunCheck(group));
        }
        List<InstancePlan> runnable = new ArrayList<>();
        for (InstancePlan p : plans) {
            if (checked.getOrDefault(p.identity().group(), true)) {
                runnable.add(p);
            }
        }
        return runnable;
    }

    private boolean preRunCheck(GroupConfig group) {
        Integer priority = group.local() == null ? null
                : group.settings().overriddenBy(group.local().settings()).priority();
        if (priority != null && priority < 0 && !"root".equals(System.getProperty("user.name"))) {
            info(LogLevel.WARN, "Group \"" + group.name() + "\" asks for priority " + priority
                    + ": only root may raise a priority, so nice will refuse it and the workers run at normal priority");
        }
        boolean usesSelf = group.settings().binPath() == null
                && (group.local() == null || group.local().settings().binPath() == null);
        List<String> words = CommandWords.split(group.command());
        WorkerCommand command = usesSelf && !words.isEmpty() ? commands.get(words.get(0)) : null;
        if (command == null) {
            return true;
        }
        boolean ok;
        try {
            ok = command.preRunCheck(group, new MasterSlf4jLogger(log, clock, group.name()));
        } catch (RuntimeException e) {
            info(LogLevel.ERROR, "Pre-run check of group \"" + group.name() + "\" threw " + e);
            ok = false;
        }
        if (!ok) {
            checksFailed = true;
            info(LogLevel.ERROR, "Pre-run check of group \"" + group.name() + "\" failed: the group is skipped");
        }
        return ok;
    }

    private void startAll(List<InstancePlan> plans) {
        if (stopping || finished) {
            finish();
            return;
        }
        long now = clock.millis();
        lastContent.set(now);
        for (InstancePlan plan : plans) {
            RestartPolicy policy = new RestartPolicy(plan.restart(), options.maxProcessTimeout(), random::nextDouble);
            supervisors.add(new InstanceSupervisor(plan, launcher, scheduler, log, bus::publish, policy,
                    this::alive, this::onSettled));
        }
        supervisors.forEach(InstanceSupervisor::start);
        bus.publish(new MasterEvent.Started(clock.instant(), FleetPlanner.LOCAL_HOST, false, supervisors.size()));
        if (supervisors.isEmpty()) {
            stopReason = "nothing to run";
            finish();
            return;
        }
        scheduleRunningEvent();
        if (!options.maxRunningTime().isZero()) {
            scheduler.schedule(options.maxRunningTime(), () -> stopAll("--max-running-time of "
                    + options.maxRunningTime().toSeconds() + "s reached"));
        }
        scheduler.schedule(options.timeout(), this::checkContent);
    }

    private void alive(long epochMillis) {
        lastContent.lazySet(epochMillis);
    }

    private void scheduleRunningEvent() {
        scheduler.schedule(Duration.ofSeconds(1), () -> {
            if (finished) {
                return;
            }
            int running = (int) supervisors.stream().filter(s -> s.state() == InstanceState.RUNNING).count();
            bus.publish(new MasterEvent.Running(clock.instant(), FleetPlanner.LOCAL_HOST, false, running));
            scheduleRunningEvent();
        });
    }

    private void checkContent() {
        if (stopping || finished) {
            return;
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
        supervisors.forEach(InstanceSupervisor::kill);
    }

    private void stopAll(String reason) {
        if (stopping || finished) {
            return;
        }
        stopping = true;
        stopReason = reason;
        info(LogLevel.INFO, "Stopping... (" + reason + ")");
        supervisors.forEach(s -> s.stop(reason));
        shutdownDeadline = scheduler.schedule(options.timeout(), () -> {
            if (!finished) {
                info(LogLevel.WARN, "Timeout waiting for clean shutdown, force kill");
                supervisors.forEach(InstanceSupervisor::kill);
            }
        });
        onSettled();
    }

    private void onSettled() {
        if (finished || supervisors.stream().anyMatch(s -> !s.state().isTerminal())) {
            return;
        }
        finish();
    }

    private void finish() {
        if (finished) {
            return;
        }
        finished = true;
        shutdownDeadline.cancel();
        boolean anyFailed = supervisors.stream().anyMatch(s -> s.state() == InstanceState.FAILED);
        exitCode = contentTimedOut || anyFailed || checksFailed ? 1 : 0;
        if (anyFailed && !stopping) {
            stopReason = "every process ended or was given up";
        }
        done.countDown();
    }

    private void info(LogLevel level, String message) {
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
