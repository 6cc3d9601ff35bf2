package org.distarch.supervise;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;
import org.distarch.event.DistarchEvent;
import org.distarch.event.ProcessEvent;
import org.distarch.event.ProcessEvent.Outcome;
import org.distarch.event.QueueEvent;
import org.distarch.instance.Instance;
import org.distarch.instance.InstanceState;
import org.distarch.launch.ExitStatus;
import org.distarch.launch.LaunchedWorker;
import org.distarch.launch.Launcher;
import org.distarch.output.LogRecord;
import org.distarch.output.LogSink;
import org.distarch.output.LogSource;
import org.distarch.restart.Failure;
import org.distarch.restart.FailureHistory;
import org.distarch.restart.RestartDecision;
import org.distarch.restart.RestartPolicy;
import org.distarch.worker.protocol.LogLevel;
import org.distarch.worker.protocol.WorkerLine;
import org.distarch.worker.protocol.WorkerLineCodec;

/**
 * Keeps one instance running: launches it, logs its output, times it out when silent, restarts it
 * after failures as the {@link RestartPolicy} decides, and stops it when asked (the one stop sequence:
 * ask, wait, kill). Every method but {@link #onLine} runs on the scheduler's thread; {@link #onLine}
 * runs on the worker's output thread and touches only volatile liveness fields.
 */
public final class InstanceSupervisor implements Supervised {

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
    private final LivenessListener liveness;
    private final Runnable onSettled;

    private LaunchedWorker worker;
    private StopIntent stopIntent = StopIntent.NONE;
    private String stopReason;
    private FailureHistory history = FailureHistory.NONE;
    private long startedAt;
    private Scheduler.Cancellable watchdog = Scheduler.Cancellable.NONE;
    private Scheduler.Cancellable killTimer = Scheduler.Cancellable.NONE;
    private Scheduler.Cancellable backoff = Scheduler.Cancellable.NONE;

    private volatile long lastOutput;
    private volatile long lastRunningEvent;
    private volatile String lastLine = "";

    /** Told of every sign of life, so the master can run its fleet-wide content timeout. */
    public interface LivenessListener {
        void alive(long epochMillis);
    }

    public InstanceSupervisor(InstancePlan plan, Launcher launcher, Scheduler scheduler, LogSink log,
            Consumer<DistarchEvent> events, RestartPolicy policy, LivenessListener liveness, Runnable onSettled) {
        this.plan = plan;
        this.launcher = launcher;
        this.scheduler = scheduler;
        this.clock = scheduler.clock();
        this.log = log;
        this.events = events;
        this.policy = policy;
        this.liveness = liveness;
        this.onSettled = onSettled;
        var id = plan.identity();
        this.source = new LogSource(id.group(), id.host(), id.display(), id.id(), id.groupId());
        this.instance = new Instance(id, clock, events);
    }

    @Override
    public boolean local() {
        return true;
    }

    @Override
    public InstancePlan plan() {
        return plan;
    }

    @Override
    public InstanceState state() {
        return instance.state();
    }

    @Override
    public long lastOutputMillis() {
        return lastOutput;
    }

    @Override
    public String lastLine() {
        return lastLine;
    }

    /** The running process's pid, or 0. */
    @Override
    public long pid() {
        return worker == null ? 0 : worker.pid();
    }

    /** When the current process started (epoch millis), or 0 when none runs. */
    @Override
    public long startedAtMillis() {
        return worker == null ? 0 : startedAt;
    }

    /** How many times the instance was started again after its first start. */
    @Override
    public int restarts() {
        return Math.max(0, instance.attempts() - 1);
    }

    /** Starts the instance again on an operator's request, with clean failure budgets. */
    @Override
    public void resume() {
        if (instance.state().isTerminal() || instance.state() == InstanceState.CREATED
                || instance.state() == InstanceState.BACKOFF) {
            history = FailureHistory.NONE;
            start();
        }
    }

    /**
     * Stops the process gracefully and starts it again at once, for a reason that is not its fault (too much
     * memory, changed configuration): no failure is counted.
     */
    @Override
    public void restart(String reason) {
        if (instance.state() != InstanceState.RUNNING) {
            return;
        }
        stopIntent = StopIntent.RESTART;
        stopReason = reason;
        watchdog.cancel();
        instance.markStopping(reason);
        worker.askStop();
        armKill(worker, "did not stop within stop_timeout, force kill");
    }

    /** Starts the instance, if it is not running or about to. */
    @Override
    public void start() {
        InstanceState s = instance.state();
        if (s != InstanceState.CREATED && s != InstanceState.BACKOFF && !s.isTerminal()) {
            return;
        }
        backoff.cancel();
        stopIntent = StopIntent.NONE;
        instance.markStarting();
        launcher.launch(plan.launch(), this::onLine)
                .whenComplete((w, error) -> scheduler.execute(() -> onLaunched(w, error)));
    }

    /**
     * Asks the instance to stop and stay stopped, and kills it if it is still running after {@code grace}
     * (null: no deadline here, the caller keeps one). Returns at once; {@link #kill} forces.
     */
    @Override
    public void stop(String reason, Duration grace) {
        switch (instance.state()) {
            case CREATED, BACKOFF -> {
                backoff.cancel();
                instance.markStopped(null, Outcome.STOPPED, reason, null);
                onSettled.run();
            }
            case STARTING -> {
                stopIntent = StopIntent.STOP;
                stopReason = reason;
            }
            case RUNNING -> {
                stopIntent = StopIntent.STOP;
                stopReason = reason;
                watchdog.cancel();
                instance.markStopping(reason);
                worker.askStop();
                if (grace != null) {
                    armKill(worker, "did not stop within " + grace.toSeconds() + "s, force kill");
                }
            }
            case STOPPING -> {
                // Already on its way down (after a timeout): it must now stay down.
                stopIntent = StopIntent.STOP;
                stopReason = reason;
            }
            default -> { }
        }
    }

    /** Kills the process tree now, if there is one. The instance ends STOPPED unless it was already ending. */
    @Override
    public void kill() {
        if (worker != null) {
            worker.kill();
        }
    }

    void onLine(String line) {
        long now = clock.millis();
        lastOutput = now;
        liveness.alive(now);
        WorkerLine parsed = WorkerLineCodec.parse(line);
        if (parsed instanceof WorkerLine.Output out) {
            log.write(new LogRecord(now, LogLevel.INFO, source, out.text(), null));
            running(out.text(), now);
        } else if (parsed instanceof WorkerLine.Log l) {
            log.write(new LogRecord(now, l.level(), source, l.message(), l.context()));
            running(l.message(), now);
        } else if (parsed instanceof WorkerLine.QueueItem q) {
            events.accept(switch (q.state()) {
                case RECEIVED -> new QueueEvent.ItemReceived(clock.instant(), plan.identity(), q.itemId(), q.attempt());
                case HANDLED -> new QueueEvent.ItemHandled(clock.instant(), plan.identity(), q.itemId(), q.attempt());
                case FAILED -> new QueueEvent.ItemFailed(clock.instant(), plan.identity(), q.itemId(), q.attempt(),
                        q.error());
            });
        } else if (parsed instanceof WorkerLine.Listening l) {
            events.accept(new QueueEvent.FeederListening(clock.instant(), plan.identity(), l.address()));
        }
        // Queue lines become events; Ping and Ended only prove the worker alive; the exit that follows Ended is logged as "Ended".
    }

    private void running(String text, long now) {
        lastLine = text;
        if (now - lastRunningEvent >= 1000) {
            lastRunningEvent = now;
            events.accept(new ProcessEvent.Running(clock.instant(), plan.identity(), text));
        }
    }

    private void onLaunched(LaunchedWorker launched, Throwable error) {
        if (error != null) {
            String message = error.getCause() != null ? error.getCause().getMessage() : error.getMessage();
            if (stopIntent == StopIntent.STOP) {
                instance.markStopped(null, Outcome.STOPPED, stopReason, null);
                onSettled.run();
                return;
            }
            log.write(new LogRecord(clock.millis(), LogLevel.ERROR, source, "Could not start: " + message, null));
            decide(null, new Failure(Failure.Kind.LAUNCH_FAILED, Duration.ZERO, "could not start"));
            return;
        }
        worker = launched;
        startedAt = clock.millis();
        lastOutput = startedAt;
        instance.markRunning(launched.pid());
        launched.exit().whenComplete((exit, e) -> scheduler.execute(() -> onExit(launched, exit)));
        if (stopIntent == StopIntent.STOP) {
            instance.markStopping(stopReason);
            launched.askStop();
            return;
        }
        armWatchdog(plan.timeout());
    }

    private void armWatchdog(Duration in) {
        watchdog = scheduler.schedule(in, this::checkSilence);
    }

    private void checkSilence() {
        if (instance.state() != InstanceState.RUNNING || stopIntent != StopIntent.NONE) {
            return;
        }
        long silence = clock.millis() - lastOutput;
        long timeout = plan.timeout().toMillis();
        if (silence < timeout) {
            armWatchdog(Duration.ofMillis(timeout - silence));
            return;
        }
        stopIntent = StopIntent.TIMEOUT;
        instance.markTimedOut(Duration.ofMillis(silence), history.timeouts() + 1);
        worker.askStop();
        armKill(worker, "Timeout reached while waiting for soft stop...");
    }

    private void armKill(LaunchedWorker target, String message) {
        killTimer.cancel();
        killTimer = scheduler.schedule(plan.stopTimeout(), () -> {
            if (worker == target) {
                log.write(new LogRecord(clock.millis(), LogLevel.WARN, source, message, null));
                target.kill();
            }
        });
    }

    private void onExit(LaunchedWorker exited, ExitStatus exit) {
        if (exited != worker) {
            return;
        }
        worker = null;
        watchdog.cancel();
        killTimer.cancel();
        long now = clock.millis();
        if (exit == null) {
            exit = new ExitStatus(-1, 0);
        }
        switch (stopIntent) {
            case STOP -> {
                instance.markStopped(exit, Outcome.STOPPED, "Stopped (" + exit.describe() + ")", null);
                onSettled.run();
            }
            case RESTART -> {
                instance.markStopped(exit, Outcome.RESTARTING, stopReason, Duration.ZERO);
                start();
            }
            case TIMEOUT -> decide(exit, new Failure(Failure.Kind.TIMEOUT, Duration.ofMillis(lastOutput - startedAt),
                    "timed out"));
            case NONE -> {
                if (exit.clean()) {
                    instance.markStopped(exit, Outcome.ENDED, "Ended", null);
                    onSettled.run();
                } else {
                    decide(exit, new Failure(Failure.Kind.CRASH, Duration.ofMillis(now - startedAt),
                            "exited with " + exit.describe()));
                }
            }
        }
    }

    private void decide(ExitStatus exit, Failure failure) {
        RestartDecision decision = policy.decide(failure, history);
        history = decision.history();
        if (decision instanceof RestartDecision.Restart r) {
            instance.markStopped(exit, Outcome.RESTARTING, r.reason(), r.delay());
            backoff = scheduler.schedule(r.delay(), this::start);
        } else {
            instance.markStopped(exit, Outcome.FAILED, decision.reason(), null);
            onSettled.run();
        }
    }
}
