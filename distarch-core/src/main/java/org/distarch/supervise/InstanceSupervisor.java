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
import org.distarch.launch.WorkerLostException;
import org.distarch.logs.ProcessLog;
import org.distarch.logs.ProcessLogs;
import org.distarch.output.LogRecord;
import org.distarch.output.LogSink;
import org.distarch.output.LogSource;
import org.distarch.restart.Failure;
import org.distarch.restart.FailureHistory;
import org.distarch.restart.RestartDecision;
import org.distarch.restart.RestartPolicy;
import org.distarch.worker.protocol.LogLevel;

/**
 * Keeps one instance running, on this machine or on a remote host alike (the {@link Launcher} makes the
 * difference): launches it, logs its output, times it out when silent, restarts it after failures as the
 * {@link RestartPolicy} decides (a lost host connection is one more kind of failure), and stops it when asked
 * through the one {@link StopSequence}. Every method runs on the scheduler's thread; the process's lines are
 * read by its {@link WorkerOutput} on the launcher's reading thread.
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
    }

    private enum StopIntent { NONE, TIMEOUT, STOP, RESTART }

    private final InstancePlan plan;
    private final Instance instance;
    private final Launcher launcher;
    private final Scheduler scheduler;
    private final Clock clock;
    private final LogSink log;
    private final LogSource source;
    private final Consumer<DistarchEvent> events;
    private final RestartPolicy policy;
    private final Hooks hooks;
    private final StopSequence stopSequence;

    private LaunchedWorker worker;
    /** Why an operator holds the instance down (null: not held); only {@link #release} starts it again. */
    private String held;
    private StopIntent stopIntent = StopIntent.NONE;
    private String stopReason;
    private Duration stopGrace;
    private String stopKillMessage;
    private FailureHistory history = FailureHistory.NONE;
    private long startedAt;
    private long stoppedAt;
    private ExitStatus lastExit;
    private int crashes;
    private int timeouts;
    private boolean everRan;
    /** The reason of the last failed launch, so that a launch failing the same way again is not logged again. */
    private String lastLaunchError;
    private Scheduler.Cancellable watchdog = Scheduler.Cancellable.NONE;
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
        this.events = events;
        this.policy = policy;
        this.hooks = hooks;
        var id = plan.identity();
        this.source = new LogSource(id.group(), id.host(), id.display(), id.id(), id.groupId());
        this.stopSequence = new StopSequence(scheduler, log, source);
        this.output = new WorkerOutput(id, source, scheduler, log, events, hooks,
                logs == null ? ProcessLog.DISCARD : logs.open(id, plan.logs()), plan.logs());
        this.instance = new Instance(id, clock, events);
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
        return worker == null ? 0 : worker.pid();
    }

    /** When the current process started (epoch millis), or 0 when none runs. */
    public long startedAtMillis() {
        return worker == null ? 0 : startedAt;
    }

    /** When the last process ended (epoch millis), or 0. */
    public long stoppedAtMillis() {
        return stoppedAt;
    }

    /** How the last process ended, or null. */
    public ExitStatus lastExit() {
        return lastExit;
    }

    /** How many times the instance was started again after its first start. */
    public int restarts() {
        return Math.max(0, instance.attempts() - 1);
    }

    /** Restarts after a crash or a failed launch. */
    public int crashes() {
        return crashes;
    }

    /** Whether a process of this instance ever ran (was launched), for "nothing ever ran" at the end. */
    public boolean everRan() {
        return everRan;
    }

    /** Silence timeouts so far. */
    public int timeouts() {
        return timeouts;
    }

    /** CPU and memory of the running process, as its launcher last measured them. */
    public Usage usage() {
        return worker == null ? Usage.UNKNOWN : worker.usage();
    }

    /**
     * Reads the figures of the current run (the worker running now) from any thread: a status reads them off the
     * supervision thread, as a thousand readings of /proc take tens of milliseconds.
     */
    public java.util.function.Supplier<Usage> usageReader() {
        LaunchedWorker w = worker;
        return w == null ? () -> Usage.UNKNOWN : w::usage;
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
        if (worker == null) {
            return false;
        }
        worker.signal(signal);
        return true;
    }

    /** Starts the instance, if it is not running or about to, and not held. */
    public void start() {
        InstanceState s = instance.state();
        if (s != InstanceState.CREATED && s != InstanceState.BACKOFF && !s.isTerminal() || held != null) {
            return;
        }
        backoff.cancel();
        stopIntent = StopIntent.NONE;
        instance.markStarting();
        output.marker(LogLevel.INFO, restarts() == 0 ? "Starting" : "Starting again (restart " + restarts() + ")");
        output.expectStart();
        launcher.launch(plan.launch(), output::onLine)
                .whenComplete((w, error) -> scheduler.execute(() -> onLaunched(w, error)));
    }

    /** Starts the instance again on an operator's request, with clean failure budgets. */
    public void resume() {
        InstanceState s = instance.state();
        if (s.isTerminal() || s == InstanceState.CREATED || s == InstanceState.BACKOFF) {
            history = FailureHistory.NONE;
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
        beginStop(StopIntent.RESTART, reason, plan.stopTimeout(), killMessage(plan.stopTimeout()));
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
        String message = killMessage != null ? killMessage : killMessage(grace);
        switch (instance.state()) {
            case CREATED, BACKOFF -> {
                backoff.cancel();
                instance.markStopped(null, Outcome.STOPPED, reason, null);
                hooks.settled(this);
            }
            case STARTING -> {
                stopIntent = StopIntent.STOP;
                stopReason = reason;
                stopGrace = grace;
                stopKillMessage = message;
            }
            case RUNNING -> beginStop(StopIntent.STOP, reason, grace, message);
            case STOPPING -> {
                // Already on its way down (a timeout, a restart): now it stays down, by this deadline at the latest.
                stopIntent = StopIntent.STOP;
                stopReason = reason;
                stopSequence.begin(worker, grace, message);
            }
            default -> { }
        }
    }

    /** Kills the process tree now, if there is one. */
    public void kill() {
        if (worker != null) {
            worker.kill();
        }
    }

    private void beginStop(StopIntent intent, String reason, Duration grace, String killMessage) {
        stopIntent = intent;
        stopReason = reason;
        watchdog.cancel();
        instance.markStopping(reason);
        stopSequence.begin(worker, grace, killMessage);
    }

    private static String killMessage(Duration grace) {
        return grace.isZero() ? null : "did not stop within " + seconds(grace) + ", force kill";
    }

    private void onLaunched(LaunchedWorker launched, Throwable error) {
        if (error != null) {
            LaunchException e = unwrap(error) instanceof LaunchException le ? le
                    : new LaunchException(String.valueOf(unwrap(error).getMessage()), error);
            if (stopIntent == StopIntent.STOP) {
                instance.markStopped(null, Outcome.STOPPED, stopReason, null);
                hooks.settled(this);
                return;
            }
            output.marker(LogLevel.ERROR, "Could not start: " + e.getMessage());
            output.startFailed();
            switch (e.kind()) {
                case FAILED -> {
                    // Once per cause: the attempts after it show in their "Restarting in" lines, not as a new error.
                    if (!e.getMessage().equals(lastLaunchError)) {
                        log.offer(new LogRecord(clock.millis(), LogLevel.ERROR, source,
                                "Could not start: " + e.getMessage(), null));
                    }
                    lastLaunchError = e.getMessage();
                    decide(null, new Failure(Failure.Kind.LAUNCH_FAILED, Duration.ZERO, "could not start"));
                }
                case UNREACHABLE -> decide(null, new Failure(Failure.Kind.LOST, Duration.ZERO, e.getMessage()));
                case PERMANENT -> decide(null, new Failure(Failure.Kind.UNRECOVERABLE, Duration.ZERO, e.getMessage()));
            }
            return;
        }
        worker = launched;
        everRan = true;
        lastLaunchError = null;
        startedAt = clock.millis();
        instance.markRunning(launched.pid());
        // Written here, before the worker's first line is let through (the event's logger would come later).
        log.offer(new LogRecord(startedAt, LogLevel.INFO, source, "Started (pid " + launched.pid() + ")", null));
        output.started(startedAt);
        launched.exit().whenComplete((exit, e) -> scheduler.execute(() -> onExit(launched, exit, e)));
        if (stopIntent == StopIntent.STOP) {
            instance.markStopping(stopReason);
            stopSequence.begin(launched, stopGrace, stopKillMessage);
            return;
        }
        if (plan.watched()) {
            armWatchdog(plan.timeout());
        }
    }

    private void armWatchdog(Duration in) {
        watchdog = scheduler.schedule(in, this::checkSilence);
    }

    private void checkSilence() {
        if (instance.state() != InstanceState.RUNNING || stopIntent != StopIntent.NONE) {
            return;
        }
        long silence = clock.millis() - output.lastOutputMillis();
        long timeout = plan.timeout().toMillis();
        if (silence < timeout) {
            armWatchdog(Duration.ofMillis(timeout - silence));
            return;
        }
        stopIntent = StopIntent.TIMEOUT;
        instance.markTimedOut(Duration.ofMillis(silence), history.timeouts() + 1);
        stopSequence.begin(worker, plan.stopTimeout(), "Timeout reached while waiting for soft stop...");
    }

    private void onExit(LaunchedWorker exited, ExitStatus exit, Throwable error) {
        if (exited != worker) {
            return;
        }
        worker = null;
        watchdog.cancel();
        stopSequence.finished();
        long now = clock.millis();
        stoppedAt = now;
        String lost = error == null ? null : unwrap(error) instanceof WorkerLostException w ? w.getMessage()
                : String.valueOf(unwrap(error).getMessage());
        if (lost == null && exit == null) {
            exit = new ExitStatus(-1, 0);
        }
        lastExit = exit;
        String how = lost != null ? "connection lost: " + lost : exit.describe();
        boolean unasked = stopIntent == StopIntent.NONE || stopIntent == StopIntent.TIMEOUT;
        output.marker(lost != null || !exit.clean() && unasked ? LogLevel.WARN : LogLevel.INFO, "Exited (" + how + ")");
        switch (stopIntent) {
            case STOP -> {
                instance.markStopped(exit, Outcome.STOPPED, "Stopped (" + how + ")", null);
                hooks.settled(this);
            }
            case RESTART -> {
                if (lost != null) {
                    decide(null, new Failure(Failure.Kind.LOST, Duration.ZERO, lost));
                } else {
                    instance.markStopped(exit, Outcome.RESTARTING, stopReason, Duration.ZERO);
                    start();
                }
            }
            case TIMEOUT -> decide(exit, new Failure(Failure.Kind.TIMEOUT,
                    Duration.ofMillis(output.lastOutputMillis() - startedAt),
                    "timed out"));
            case NONE -> {
                if (lost != null) {
                    decide(null, new Failure(Failure.Kind.LOST, Duration.ofMillis(now - startedAt), lost));
                } else if (output.cannotStart() != null && !policy.success(exit)) {
                    // The worker said why it cannot work here: restarting it into the same wall only adds noise.
                    decide(exit, new Failure(Failure.Kind.UNRECOVERABLE, Duration.ZERO, output.cannotStart()));
                } else {
                    apply(exit, policy.afterExit(exit, Duration.ofMillis(now - startedAt), history),
                            !policy.success(exit));
                }
            }
        }
    }

    /** How a crash reads, as one sentence (see {@link RestartPolicy#crash}). */
    static String crash(ExitStatus exit) {
        return RestartPolicy.crash(exit);
    }

    private void decide(ExitStatus exit, Failure failure) {
        if (failure.kind() == Failure.Kind.TIMEOUT) {
            timeouts++;
        }
        apply(exit, policy.decide(failure, history),
                failure.kind() == Failure.Kind.CRASH || failure.kind() == Failure.Kind.LAUNCH_FAILED);
    }

    /** Carries out the policy's decision; {@code crashed} counts it among the crashes shown in status. */
    private void apply(ExitStatus exit, RestartDecision decision, boolean crashed) {
        history = decision.history();
        if (crashed) {
            crashes++;
        }
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

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : String.format("%.1fs", d.toMillis() / 1000.0);
    }
}
