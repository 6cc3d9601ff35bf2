package org.distarch.master;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.Map;
import java.util.function.Function;
import org.distarch.config.LifecycleSettings;
import org.distarch.event.DistarchEvent;
import org.distarch.event.MasterEvent;
import org.distarch.event.ProcessIdentity;
import org.distarch.event.ProcessRole;
import org.distarch.instance.InstanceState;
import org.distarch.launch.Launcher;
import org.distarch.logs.ProcessLogs;
import org.distarch.output.LogRecord;
import org.distarch.output.LogSink;
import org.distarch.supervise.InstancePlan;
import org.distarch.supervise.InstanceSupervisor;
import org.distarch.supervise.Scheduler;
import org.distarch.supervise.SupervisionStats;
import org.distarch.worker.protocol.LogLevel;

/**
 * The life of one fleet, on the supervision thread: its {@link FleetState}, what its fleet-wide timers
 * decide ({@link FleetTimers}: {@code --max-running-time}, {@code --timeout}, {@code max_memory}, the running
 * event), and {@link #apply}, the one place where a {@link Reconciler} plan changes the fleet; its supervisors
 * are built by the {@link SupervisorFactory}. Nothing here blocks: launches, signals and log writes all
 * return at once.
 */
final class FleetRunner implements InstanceSupervisor.Hooks {

    private static final Duration SERVICE_RESTART_DELAY = Duration.ofSeconds(1);

    private final MasterOptions options;
    private final Scheduler scheduler;
    private final Clock clock;
    private final LogSink log;
    private final Consumer<DistarchEvent> events;
    private final String host;
    private final Fleet fleet;
    private final ProcessLogs logs;
    private final FeederGate gate = new FeederGate();
    private final PlanApplier applier;
    private final FleetTimers timers;
    private final CompletableFuture<Integer> done = new CompletableFuture<>();

    private FleetState state = FleetState.CREATED;
    private boolean checksFailed;
    /** Why the fleet ended; set by a stop, else decided when the last process settles. */
    private String stopReason;
    private SupervisionStats beforeStop;
    private int exitCode;
    private Map<String, LifecycleSettings> lifecycles = Map.of();
    /** Why a new instance must stay down from the start (a persisted stop), or null: consulted by every Start. */
    private Function<ProcessIdentity, String> persistedHold = id -> null;
    private final Rollouts rollouts;
    private final RestartSchedules schedules;

    FleetRunner(MasterOptions options, Scheduler scheduler, LogSink log, Consumer<DistarchEvent> events, Launcher local,
            RemoteLaunchers remote, Random random, String host) {
        this(options, scheduler, log, events, local, remote, random, host, new ProcessLogs());
    }

    /** @param logs where every process's lines are kept (its buffer is dropped when a reload removes it) */
    FleetRunner(MasterOptions options, Scheduler scheduler, LogSink log, Consumer<DistarchEvent> events, Launcher local,
            RemoteLaunchers remote, Random random, String host, ProcessLogs logs) {
        this.logs = logs;
        this.options = options;
        this.scheduler = scheduler;
        this.clock = scheduler.clock();
        this.log = log;
        this.events = events;
        this.host = host;
        this.rollouts = new Rollouts(this, scheduler);
        this.fleet = new Fleet(new SupervisorFactory(options, scheduler, log, events, local, remote, random, logs, this,
                rollouts::heard));
        this.timers = new FleetTimers(this, options, scheduler, events, host);
        this.applier = new PlanApplier(this, fleet, gate, scheduler);
        this.schedules = new RestartSchedules(this, scheduler, clock);
    }

    /**
     * Before {@link #startUp}: each group's lifecycle settings, the groups an operator suspended for good and the
     * processes an operator stopped for good (a persisted state file).
     */
    void prepare(Map<String, LifecycleSettings> lifecycles, Set<String> suspendedGroups,
            Function<ProcessIdentity, String> persistedHold) {
        this.lifecycles = Map.copyOf(lifecycles);
        suspendedGroups.forEach(fleet::suspend);
        this.persistedHold = persistedHold;
    }

    /** After a reload: the groups' new lifecycle settings (scheduled restarts re-armed where they changed). */
    void lifecycles(Map<String, LifecycleSettings> next) {
        this.lifecycles = Map.copyOf(next);
        schedules.arm(this.lifecycles);
    }

    /** A scheduled restart of {@code group} begins as a rolling restart; returns why not, or null. */
    String scheduledRestart(String group, String cause) {
        return rollouts.restart(group, cause, null, null).refusal();
    }

    LifecycleSettings lifecycle(String group) {
        return lifecycles.getOrDefault(group, LifecycleSettings.DEFAULT);
    }

    Rollouts rollouts() {
        return rollouts;
    }

    RestartSchedules schedules() {
        return schedules;
    }

    Scheduler scheduler() {
        return scheduler;
    }

    Fleet fleet() {
        return fleet;
    }

    FleetState state() {
        return state;
    }

    /** Completes with the exit code once the fleet is over; fails if start-up threw. */
    CompletableFuture<Integer> done() {
        return done;
    }

    String stopReason() {
        return stopReason;
    }

    /** The supervision thread's figures up to the moment {@link #stopAll} began; null if it never ran. */
    SupervisionStats statsBeforeStop() {
        return beforeStop;
    }

    // ---- start-up and the fleet's own life -----------------------------------------------------------------

    /** On the supervision thread: starts {@code plans}; {@code checksFailed} makes the exit code 1. */
    void startUp(List<InstancePlan> plans, boolean checksFailed) {
        this.checksFailed = checksFailed;
        if (state != FleetState.CREATED) {
            return;
        }
        try {
            move(FleetState.STARTING);
            timers.contentFromNow();
            apply(Reconciler.startUp(plans));
            move(FleetState.RUNNING);
            events.accept(new MasterEvent.Started(clock.instant(), host, false, fleet.all().size()));
            timers.armAll(); // the running event, --max-running-time, the silence watchdog, the memory
            schedules.arm(lifecycles);
            checkDone();
        } catch (RuntimeException e) {
            // Whoever waits in Master.run() must hear of it, not wait forever.
            fleet.all().forEach(InstanceSupervisor::kill);
            state = FleetState.STOPPED;
            done.completeExceptionally(e);
        }
    }

    /** A service's {@code --max-running-time}: stops every process gracefully; once all stopped, a new cycle. */
    void renew(String reason) {
        if (state != FleetState.RUNNING) {
            return; // stopping already, or between cycles: the next cycle arms the timer again
        }
        if (fleet.allTerminal()) {
            // Nothing runs nor waits to restart (every group suspended): nothing to recycle.
            timers.armMaxRunningTime();
            return;
        }
        move(FleetState.RENEWING);
        rollouts.abortAll("the fleet is recycled (--max-running-time)");
        info(LogLevel.INFO, "Stopping... (" + reason + ")");
        // The whole reason is in the master's line; each process's line says only that it is part of it.
        apply(Reconciler.halt(fleet.view(), fleet.groups(), "the fleet is recycled", p -> options.timeout(),
                "Timeout waiting for clean shutdown, force kill"));
        checkDone();
    }

    /** Stops every process, each killed after {@code grace} (zero: at once). Idempotent. */
    void stopAll(String reason, Duration grace) {
        if (state == FleetState.STOPPING || state == FleetState.STOPPED) {
            return;
        }
        if (state == FleetState.CREATED) {
            move(FleetState.STARTING);
        }
        move(FleetState.STOPPING);
        beforeStop = scheduler.takeStats(); // from here on the figures are the stop's (this task included)
        rollouts.abortAll("the master stops");
        schedules.cancelAll();
        stopReason = reason;
        info(LogLevel.INFO, "Stopping... (" + reason + ")");
        apply(Reconciler.halt(fleet.view(), fleet.groups(), "the master is stopping", p -> grace,
                grace.isZero() ? null : "Timeout waiting for clean shutdown, force kill"));
        checkDone();
    }

    /** Kills every process now and ends. */
    void forceStop(String reason) {
        stopAll(reason, Duration.ZERO);
        info(LogLevel.WARN, "Forced stop: killing every process");
        fleet.all().forEach(InstanceSupervisor::kill);
    }

    private void move(FleetState next) {
        if (!state.canMoveTo(next)) {
            throw new IllegalStateException("fleet cannot move from " + state + " to " + next);
        }
        state = next;
    }

    // ---- the one way plans change the fleet ----------------------------------------------------------------

    /**
     * Carries out a plan ({@link PlanApplier}): the fleet changes at once, the starts and stops run
     * {@link PlanApplier#SLICE} at a time; starts go through the feeder gate.
     */
    void apply(List<Change> changes) {
        applier.apply(changes);
    }

    /** Why a new instance stays down from the start, or null: a persisted stop, or its group's autostart: false. */
    String startHold(ProcessIdentity id) {
        String persisted = persistedHold.apply(id);
        if (persisted != null) {
            return persisted;
        }
        return lifecycle(id.group()).autostart() ? null : Reconciler.AUTOSTART_OFF;
    }

    // ---- what instances tell the fleet -------------------------------------------------------------------

    @Override
    public void alive(long epochMillis) {
        timers.alive(epochMillis);
    }

    @Override
    public void feederListening(ProcessIdentity feeder, String address) {
        if (state.accepting()) {
            gate.listening(feeder.group(), InstanceSupervisor::start);
        }
    }

    @Override
    public void settled(InstanceSupervisor s) {
        fleet.settled(s);
        var id = s.identity();
        if (fleet.byId(id.id()).isEmpty() && !fleet.all().contains(s)) {
            logs.remove(id.id()); // removed by a reload, with no successor under its id
        }
        if (id.role() == ProcessRole.FEEDER && s.state().isTerminal()) {
            feederGone(s); // before the check below: they say why
        }
        if (id.role() == ProcessRole.FEEDER && s.state().isTerminal() && gate.holds(id.group())) {
            for (InstanceSupervisor consumer : gate.feederGone(id.group())) {
                consumer.stop("the feeder of \"" + id.group() + "\" never listened", Duration.ZERO);
            }
        }
        checkDone();
    }

    @Override
    public void exited(InstanceSupervisor s) {
        if (s.identity().role() == ProcessRole.FEEDER) {
            feederGone(s); // a restart's too, which never settles
        }
    }

    /** A feeder's process is gone (exited, or settled without one): what waited for it is due. */
    private void feederGone(InstanceSupervisor feeder) {
        gate.feederStopped(feeder.identity().group()).forEach(Runnable::run);
    }

    /** Whenever an instance settles: ends the fleet, or (service) starts its groups again. */
    void checkDone() {
        if (!fleet.allTerminal() || state == FleetState.STOPPED || state == FleetState.RECYCLING
                || state == FleetState.STARTING || state == FleetState.CREATED) {
            return;
        }
        if (state == FleetState.STOPPING) {
            finish();
            return;
        }
        if (state == FleetState.RENEWING) {
            recycle("Every process has stopped: starting the groups again");
            return;
        }
        if (!fleet.suspended().isEmpty() && (fleet.allSuspended() || !options.service())) {
            return; // an operator suspended groups: wait for resume (or stop), in the foreground too
        }
        if (fleet.anyHeldByOperator() && (fleet.allDown() || !options.service())) {
            return; // an operator stopped processes: wait for start (or stop), in the foreground too
        }
        if (options.service() && fleet.allDown()) {
            return; // nothing may start by itself (autostart: false): a service idles until start
        }
        if (!options.service()) {
            finish();
            return;
        }
        recycle("Every process has ended: starting the groups again");
    }

    /**
     * A service's next cycle, a second from now (unless a stop comes first): {@code master_starting}, the
     * non-suspended groups' instances revived, {@code master_started}, and {@code --max-running-time} armed
     * again.
     */
    private void recycle(String message) {
        move(FleetState.RECYCLING);
        info(LogLevel.INFO, message);
        scheduler.schedule(SERVICE_RESTART_DELAY, () -> {
            if (state != FleetState.RECYCLING) {
                return; // a stop won
            }
            events.accept(new MasterEvent.Starting(clock.instant(), host, false));
            move(FleetState.RUNNING);
            Set<String> running = new LinkedHashSet<>(fleet.groups());
            running.removeAll(fleet.suspended());
            List<Change> revive = Reconciler.revive(fleet.view(), running, InstanceState::isTerminal,
                    "service cycle");
            apply(revive);
            events.accept(new MasterEvent.Started(clock.instant(), host, false, revive.size()));
            timers.armMaxRunningTime();
        });
    }

    private void finish() {
        move(FleetState.STOPPED);
        boolean anyFailed = fleet.all().stream().anyMatch(s -> s.state() == InstanceState.FAILED);
        // A fleet that ended by itself without a single process ever running did nothing: that is a failure.
        boolean noneRan = stopReason == null && fleet.all().stream().noneMatch(InstanceSupervisor::everRan);
        exitCode = timers.contentTimedOut() || anyFailed || checksFailed || noneRan ? 1 : 0;
        if (stopReason == null) {
            stopReason = fleet.all().isEmpty() ? "nothing to run"
                    : noneRan ? "no process could be started"
                    : anyFailed ? "every process ended or was given up" : "every process ended";
        }
        done.complete(exitCode);
    }

    void info(LogLevel level, String message) {
        log.offer(new LogRecord(clock.millis(), level, null, message, null));
    }
}
