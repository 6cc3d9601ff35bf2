package org.distarch.supervise;

import java.time.Duration;
import org.distarch.event.ExitStatus;
import org.distarch.launch.LaunchException;
import org.distarch.restart.Failure;
import org.distarch.restart.FailureHistory;
import org.distarch.restart.RestartDecision;
import org.distarch.restart.RestartPolicy;

/**
 * One instance's failures as its {@link RestartPolicy} weighs them: which kind of failure each end of a run is
 * (a failed launch, a lost host, a silence timeout, a worker that said it cannot work here, an exit), the budgets
 * the policy carries from one failure to the next ({@link FailureHistory}), the crash and timeout counts a
 * status shows, and whether a failed launch's reason is new (worth an error line). It only returns the policy's
 * decision: carrying it out (the instance's transition, the restart timer) stays with the
 * {@link InstanceSupervisor}, the one place that moves the instance's state.
 */
final class FailureBudget {

    private final RestartPolicy policy;
    private FailureHistory history = FailureHistory.NONE;
    private int crashes;
    private int timeouts;
    /** The reason of the last failed launch, so that a launch failing the same way again is not logged again. */
    private String lastLaunchError;

    FailureBudget(RestartPolicy policy) {
        this.policy = policy;
    }

    /** Restarts after a crash or a failed launch. */
    int crashes() {
        return crashes;
    }

    /** Silence timeouts so far. */
    int timeouts() {
        return timeouts;
    }

    /** How many timeouts in a row a timeout now would make. */
    int nextTimeoutInARow() {
        return history.timeouts() + 1;
    }

    /** Clean budgets (an operator's start): earlier failures no longer count towards giving up. */
    void reset() {
        history = FailureHistory.NONE;
    }

    /** Whether {@code exit} is a success by the group's exit codes. */
    boolean success(ExitStatus exit) {
        return policy.success(exit);
    }

    /**
     * Whether {@code e} is a failed launch ({@link LaunchException.Kind#FAILED}) for another reason than the last
     * one, and so worth an error line; remembers its reason.
     */
    boolean newLaunchFailure(LaunchException e) {
        if (e.kind() != LaunchException.Kind.FAILED) {
            return false;
        }
        boolean isNew = !e.getMessage().equals(lastLaunchError);
        lastLaunchError = e.getMessage();
        return isNew;
    }

    /** A launch went through: the next failed launch is worth a line again, whatever its reason. */
    void launched() {
        lastLaunchError = null;
    }

    /** The process could not be launched: the worker's fault, an unreachable host, or hopeless. */
    RestartDecision launchFailed(LaunchException e) {
        return switch (e.kind()) {
            case FAILED -> failed(new Failure(Failure.Kind.LAUNCH_FAILED, Duration.ZERO, "could not start"));
            case UNREACHABLE -> failed(new Failure(Failure.Kind.LOST, Duration.ZERO, e.getMessage()));
            case PERMANENT -> failed(new Failure(Failure.Kind.UNRECOVERABLE, Duration.ZERO, e.getMessage()));
        };
    }

    /** The connection to the process's host was lost after it ran for {@code ran}. */
    RestartDecision lost(String why, Duration ran) {
        return failed(new Failure(Failure.Kind.LOST, ran, why));
    }

    /** The process was stopped for its silence; it had given signs of life for {@code healthy}. */
    RestartDecision timedOut(Duration healthy) {
        return failed(new Failure(Failure.Kind.TIMEOUT, healthy, "timed out"));
    }

    /** The worker said why it cannot work here: restarting it into the same wall only adds noise. */
    RestartDecision cannotWork(String why) {
        return failed(new Failure(Failure.Kind.UNRECOVERABLE, Duration.ZERO, why));
    }

    /** The process exited on its own after running for {@code ran}; a failing exit counts as a crash. */
    RestartDecision exited(ExitStatus exit, Duration ran) {
        return count(policy.afterExit(exit, ran, history), !policy.success(exit));
    }

    private RestartDecision failed(Failure failure) {
        if (failure.kind() == Failure.Kind.TIMEOUT) {
            timeouts++;
        }
        return count(policy.decide(failure, history),
                failure.kind() == Failure.Kind.CRASH || failure.kind() == Failure.Kind.LAUNCH_FAILED);
    }

    /** Keeps the decision's budgets; {@code crashed} counts it among the crashes shown in status. */
    private RestartDecision count(RestartDecision decision, boolean crashed) {
        history = decision.history();
        if (crashed) {
            crashes++;
        }
        return decision;
    }
}
