package org.distarch.supervise;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import org.distarch.event.DistarchEvent;
import org.distarch.event.ProcessEvent;
import org.distarch.event.ProcessEvent.Outcome;
import org.distarch.event.ProcessIdentity;
import org.distarch.instance.Instance;
import org.distarch.instance.InstanceState;
import org.distarch.instance.Transition;
import org.distarch.event.ExitStatus;
import org.distarch.launch.LaunchException;
import org.distarch.launch.LaunchedWorker;
import org.distarch.launch.Launcher;
import org.distarch.launch.Usage;
import org.distarch.logs.ProcessLog;
import org.distarch.logs.ProcessLogs;
import org.distarch.output.LogRecord;
import org.distarch.output.LogSink;
import org.distarch.output.LogSource;
import org.distarch.restart.RestartDecision;
import org.distarch.restart.RestartPolicy;
import org.distarch.worker.protocol.LogLevel;

/**
 * Keeps one instance running, on this machine or on a remote host alike (the {@link Launcher} makes the
 * difference): launches it, logs its output, times it out when silent, restarts it after failures as the
 * {@link RestartPolicy} decides (a lost host connection is one more kind of failure), and stops it when asked
 * through the one {@link StopSequence}. Every method runs on the scheduler's thread; the process's lines are
 * read by its {@link WorkerOutput} on the launcher's reading thread. Its parts only remember and weigh; this
 * class alone moves the instance's state, so that its transitions stay in one place.
 */
public final class InstanceSupervisor {

    /** What the fleet hears from its instances, on the supervision thread (liveness excepted). */
    public interface Hooks {
        /** A sign of life, for the fleet-wide {@code --timeout}; called on the reading thread. */
        void alive(long epochMillis);

        /** A queue group's feeder listens: its consumers may start. Never through the observers' bus. */
        void feederListening(ProcessIdentity feeder, String address);

        /** The instance reached a terminal state (ended, stopped, given up). */
        void settled(InstanceSupervisor instance);

        /** The instance's process has exited, whatever comes next (after {@link #settled}, if it settles). */
        default void exited(InstanceSupervisor instance) {}
    }

    private final InstancePlan plan;
    private final Instance instance;
    private final Launcher launcher;
    private final Scheduler scheduler;
    private final Clock clock;
    private final LogSink log;
    private final LogSource source;
    private final Hooks hooks;
    private final StopSequence stopSequence;
    private final PendingStop stopping = new PendingStop();
    private final FailureBudget failures;
    private final SilenceWatchdog watchdog;

    private final RunRecord run = new RunRecord();
    /** Why an operator holds the instance down (null: not held); only {@link #release} starts it again. */
    private String held;
    private Scheduler.Cancellable backoff = Scheduler.Cancellable.NONE;

    private final WorkerOutput output;

    public InstanceSupervisor(InstancePlan plan, Launcher launcher, Scheduler scheduler, LogSink log,
            Consumer<DistarchEvent> events, RestartPolicy policy, Hooks hooks) {
        this(plan, launcher, scheduler, log, events, policy, hooks, null);
    }

    /** @param logs where the process's lines are kept ({@code distarch logs}, its file); null: nowhere */
    public InstanceSupervisor(InstancePlan plan, Launcher launcher, Scheduler scheduler, LogSink log,
            Consumer<DistarchEvent> events, RestartPolicy policy, Hooks hooks, ProcessLogs logs) {
        this.plan = plan;
        this.launcher = launcher;
        this.scheduler = scheduler;
        this.clock = scheduler.clock();
        this.log = log;
        this.failures = new FailureBudget(policy);
        this.hooks = hooks;
        var id = plan.identity();
        this.source = new LogSource(id.group(), id.host(), id.display(), id.id(), id.groupId());
        this.stopSequence = new StopSequence(scheduler, log, source);
        this.output = new WorkerOutput(id, source, scheduler, log, events, hooks,
                logs == null ? ProcessLog.DISCARD : logs.open(id, plan.logs()), plan.logs());
        this.instance = new Instance(id, clock, events);
        this.watchdog = new SilenceWatchdog(scheduler, plan.timeout(), output::lastOutputMillis,
                () -> instance.state() == InstanceState.RUNNING && stopping.is(PendingStop.Intent.NONE),
                this::timedOut);
    }

    public InstancePlan plan() {
        return plan;
    }

    public ProcessIdentity identity() {
        return plan.identity();
    }

    public InstanceState state() {
        return instance.state();
    }

    /** The last state change, with its reason ("exited with exit code 3 (failure 1 of 5)"). */
    public Transition lastTransition() {
        return instance.lastTransition();
    }

    public long lastOutputMillis() {
        return output.lastOutputMillis();
    }

    public String lastLine() {
        return output.lastLine();
    }

    /** The running process's pid (on its own host), or 0. */
    public long pid() {
        return run.pid();
    }

    /** When the current process started (epoch millis), or 0 when none runs. */
    public long startedAtMillis() {
        return run.startedAtMillis();
    }

    /** When the last process ended (epoch millis), or 0. */
    public long stoppedAtMillis() {
        return run.stoppedAtMillis();
    }

    /** How the last process ended, or null. */
    public ExitStatus lastExit() {
        return run.lastExit();
    }

    /** How many times the instance was started again after its first start. */
    public int restarts() {
        return Math.max(0, instance.attempts() - 1);
    }

    /** Restarts after a crash or a failed launch. */
    public int crashes() {
        return failures.crashes();
    }

    /** Whether a process of this instance ever ran (was launched), for "nothing ever ran" at the end. */
    public boolean everRan() {
        return run.everRan();
    }

    /** Silence timeouts so far. */
    public int timeouts() {
        return failures.timeouts();
    }

    /** CPU and memory of the running process, as its launcher last measured them. */
    public Usage usage() {
        return run.usage();
    }

    /**
     * Reads the figures of the current run (the worker running now) from any thread: a status reads them off the
     * supervision thread, as a thousand readings of /proc take tens of milliseconds.
     */
    public java.util.function.Supplier<Usage> usageReader() {
        return run.usageReader();
    }

    /**
     * Why the instance is held down ("stopped by operator", "autostart: false"), or null. A held instance is not
     * started by anything but {@link #release}: not its restart policy, a resume, a reload or a new service cycle.
     */
    public String held() {
        return held;
    }

    /**
     * Holds the instance down for {@code reason} and stops it (asks, kills after {@code grace}; at once for a zero
     * grace) if it runs; a pending restart is cancelled.
     */
    public void hold(String reason, Duration grace) {
        held = reason;
        stop("stopped by operator", grace);
    }

    /**
     * Holds the instance down for {@code reason} without stopping it yet: its stop comes later ({@link #hold}, a
     * consumer's once its feeder has stopped). Meanwhile it is not started, and an exit of its own is not
     * restarted.
     */
    public void holdUnstopped(String reason) {
        held = reason;
    }

    /** Holds a new instance down from the start (autostart: false, a persisted stop): it moves to STOPPED. */
    public void holdBeforeStart(String reason) {
        held = reason;
        stayDown(reason);
    }

    /**
     * A new instance that is not to start now (its group is suspended) shows as STOPPED rather than CREATED;
     * nothing else changes: it starts with its group.
     */
    public void stayDown(String reason) {
        if (instance.state() == InstanceState.CREATED) {
            instance.markStopped(null, Outcome.STOPPED, reason, null);
        }
    }

    /** Lifts the hold (an operator's start); {@link #resume} then starts the instance. */
    public void release() {
        held = null;
    }

    /** Sends an operator's signal to the running process's group; false when no process runs. */
    public boolean signal(String signal) {
        return run.signal(signal);
    }

    /** Starts the instance, if it is not running or about to, and not held. */
    public void start() {
        InstanceState s = instance.state();
        if (s != InstanceState.CREATED && s != InstanceState.BACKOFF && !s.isTerminal() || held != null) {
            return;
        }
        backoff.cancel();
        stopping.clear();
        instance.markStarting();
        output.marker(LogLevel.INFO, restarts() == 0 ? "Starting" : "Starting again (restart " + restarts() + ")");
        output.expectStart();
        launcher.launch(plan.launch(), output)
                .whenComplete((w, error) -> scheduler.execute(() -> onLaunched(w, error)));
    }

    /** Starts the instance again on an operator's request, with clean failure budgets. */
    public void resume() {
        InstanceState s = instance.state();
        if (s.isTerminal() || s == InstanceState.CREATED || s == InstanceState.BACKOFF) {
            failures.reset();
            start();
        }
    }

    /**
     * Stops the process gracefully and starts it again at once, for a reason that is not its fault (too much
     * memory, changed configuration): no failure is counted.
     */
    public void restart(String reason) {
        if (instance.state() != InstanceState.RUNNING) {
            return;
        }
        beginStop(PendingStop.Intent.RESTART, reason, plan.stopTimeout(), PendingStop.killMessage(plan.stopTimeout()));
    }

    /**
     * Stops the instance and keeps it stopped: asks, kills it if it is still running after {@code grace} (at
     * once for a zero grace). Returns at once.
     */
    public void stop(String reason, Duration grace) {
        stop(reason, grace, null);
    }

    /** {@link #stop(String, Duration)}, with {@code killMessage} logged if the kill comes (null: the usual one). */
    public void stop(String reason, Duration grace, String killMessage) {
        String message = killMessage != null ? killMessage : PendingStop.killMessage(grace);
        switch (instance.state()) {
            case CREATED, BACKOFF -> {
                backoff.cancel();
                instance.markStopped(null, Outcome.STOPPED, reason, null);
                hooks.settled(this);
            }
            case STARTING -> stopping.askedBeforeRunning(reason, grace, message);
            case RUNNING -> beginStop(PendingStop.Intent.STOP, reason, grace, message);
            case STOPPING -> {
                // Already on its way down (a timeout, a restart): now it stays down, by this deadline at the latest.
                stopping.asked(PendingStop.Intent.STOP, reason);
                stopSequence.begin(run.worker(), grace, message);
            }
            default -> { }
        }
    }

    /** Kills the process tree now, if there is one. */
    public void kill() {
        run.kill();
    }

    private void beginStop(PendingStop.Intent intent, String reason, Duration grace, String killMessage) {
        stopping.asked(intent, reason);
        watchdog.cancel();
        instance.markStopping(reason);
        stopSequence.begin(run.worker(), grace, killMessage);
    }

    private void onLaunched(LaunchedWorker launched, Throwable error) {
        if (error != null) {
            LaunchException e = unwrap(error) instanceof LaunchException le ? le
                    : new LaunchException(String.valueOf(unwrap(error).getMessage()), error);
            if (stopping.is(PendingStop.Intent.STOP)) {
                instance.markStopped(null, Outcome.STOPPED, stopping.reason(), null);
                hooks.settled(this);
                return;
            }
            output.marker(LogLevel.ERROR, "Could not start: " + e.getMessage());
            output.startFailed();
            // Once per cause: the attempts after it show in their "Restarting in" lines, not as a new error.
            if (failures.newLaunchFailure(e)) {
                log.offer(new LogRecord(clock.millis(), LogLevel.ERROR, source,
                        "Could not start: " + e.getMessage(), null));
            }
            apply(null, failures.launchFailed(e));
            return;
        }
        long startedAt = clock.millis();
        run.started(launched, startedAt);
        failures.launched();
        instance.markRunning(launched.pid());
        // Written here, before the worker's first line is let through (the event's logger would come later).
        log.offer(new LogRecord(startedAt, LogLevel.INFO, source, "Started (pid " + launched.pid() + ")", null));
        output.started(startedAt);
        launched.exit().whenComplete((exit, e) -> scheduler.execute(() -> onExit(launched, exit, e)));
        if (stopping.is(PendingStop.Intent.STOP)) {
            instance.markStopping(stopping.reason());
            stopSequence.begin(launched, stopping.grace(), stopping.killMessage());
            return;
        }
        if (plan.watched()) {
            watchdog.arm();
        }
    }

    /** The watchdog found the process silent for its whole timeout: it is stopped, and its exit weighed. */
    private void timedOut(Duration silence) {
        stopping.asked(PendingStop.Intent.TIMEOUT, null);
        instance.markTimedOut(silence, failures.nextTimeoutInARow());
        stopSequence.begin(run.worker(), plan.stopTimeout(), "Timeout reached while waiting for soft stop...");
    }

    private void onExit(LaunchedWorker exited, ExitStatus exit, Throwable error) {
        if (!run.isCurrent(exited)) {
            return;
        }
        watchdog.cancel();
        stopSequence.finished();
        long now = clock.millis();
        RunRecord.End end = run.ended(exit, error == null ? null : unwrap(error), now);
        exit = end.exit();
        String lost = end.lost();
        String how = end.how();
        long startedAt = run.lastStartMillis();
        boolean unasked = stopping.is(PendingStop.Intent.NONE) || stopping.is(PendingStop.Intent.TIMEOUT);
        output.marker(lost != null || !exit.clean() && unasked ? LogLevel.WARN : LogLevel.INFO, "Exited (" + how + ")");
        if (unasked && held != null) { // held, its stop still to come (holdUnstopped): it stays down
            instance.markStopped(exit, Outcome.STOPPED, "Stopped (" + how + "), held: " + held, null);
            hooks.settled(this);
        } else {
            carryOn(exit, lost, how, now, startedAt);
        }
        hooks.exited(this);
    }

    /** What follows an exit: the stop asked for, the restart asked for, or the restart policy's decision. */
    private void carryOn(ExitStatus exit, String lost, String how, long now, long startedAt) {
        switch (stopping.intent()) {
            case STOP -> {
                instance.markStopped(exit, Outcome.STOPPED, "Stopped (" + how + ")", null);
                hooks.settled(this);
            }
            case RESTART -> {
                if (lost != null) {
                    apply(null, failures.lost(lost, Duration.ZERO));
                } else {
                    instance.markStopped(exit, Outcome.RESTARTING, stopping.reason(), Duration.ZERO);
                    start();
                }
            }
            case TIMEOUT -> apply(exit, failures.timedOut(Duration.ofMillis(output.lastOutputMillis() - startedAt)));
            case NONE -> {
                if (lost != null) {
                    apply(null, failures.lost(lost, Duration.ofMillis(now - startedAt)));
                } else if (output.cannotStart() != null && !failures.success(exit)) {
                    // The worker said why it cannot work here: restarting it into the same wall only adds noise.
                    apply(exit, failures.cannotWork(output.cannotStart()));
                } else {
                    apply(exit, failures.exited(exit, Duration.ofMillis(now - startedAt)));
                }
            }
        }
    }

    /** Carries out the restart policy's decision (as {@link FailureBudget} counted it). */
    private void apply(ExitStatus exit, RestartDecision decision) {
        if (decision instanceof RestartDecision.Restart r) {
            instance.markStopped(exit, Outcome.RESTARTING, r.reason(), r.delay());
            backoff = scheduler.schedule(r.delay(), this::start);
        } else if (decision instanceof RestartDecision.End end) {
            instance.markStopped(exit, Outcome.ENDED, end.reason(), null);
            hooks.settled(this);
        } else {
            instance.markStopped(exit, Outcome.FAILED, decision.reason(), null);
            hooks.settled(this);
        }
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }
}
