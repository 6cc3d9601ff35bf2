package org.distarch.restart;

import java.time.Duration;
import java.util.function.DoubleSupplier;
import org.distarch.config.Autorestart;
import org.distarch.config.RestartConfig;
import org.distarch.config.RunOptions;
import org.distarch.event.ExitStatus;

/**
 * Decides, with no side effect, whether a failed process is restarted and after how long.
 *
 * <ul>
 *   <li>A process that was healthy for {@code reset_after} starts with clean budgets.</li>
 *   <li>Crashes and failed launches count against {@code max_failures}; silence timeouts count against
 *       the master's {@code --max-process-timeout}. Reaching either gives up.</li>
 *   <li>The delay is {@code initial_backoff × multiplier^(n−1)}, capped at {@code max_backoff}, then
 *       spread by ±{@code jitter} so that a fleet that failed together does not restart in lockstep.</li>
 *   <li>{@code autorestart} and {@code exit_codes} decide what an exit is: an exit code of {@code exit_codes}
 *       is a success, which ends the process ({@code on-failure}, {@code never}) or starts it again after
 *       {@code initial_backoff} without counting a failure ({@code always}); with {@code never} a failure
 *       is given up at once.</li>
 * </ul>
 */
public final class RestartPolicy {

    private final RestartConfig config;
    private final RunOptions run;
    private final int maxTimeouts;
    private final DoubleSupplier random;

    /** A policy with the default autorestart ({@code on-failure}) and exit codes ({@code [0]}). */
    public RestartPolicy(RestartConfig config, int maxTimeouts, DoubleSupplier random) {
        this(config, RunOptions.DEFAULT, maxTimeouts, random);
    }

    /** @param random uniform values in [0, 1); injected so that tests are exact */
    public RestartPolicy(RestartConfig config, RunOptions run, int maxTimeouts, DoubleSupplier random) {
        this.config = config;
        this.run = run;
        this.maxTimeouts = maxTimeouts;
        this.random = random;
    }

    /** Whether {@code exit} is a success: its code is one of {@code exit_codes}. */
    public boolean success(ExitStatus exit) {
        return run.success(exit.code());
    }

    /**
     * A process exited by itself, without being asked to stop, after running for {@code ranFor}: a success
     * ends it or (autorestart: always) starts it again; anything else is a {@link Failure.Kind#CRASH}.
     */
    public RestartDecision afterExit(ExitStatus exit, Duration ranFor, FailureHistory history) {
        if (!success(exit)) {
            return decide(new Failure(Failure.Kind.CRASH, ranFor, crash(exit)), history);
        }
        FailureHistory base = ranFor.compareTo(config.resetAfter()) >= 0 ? FailureHistory.NONE : history;
        if (run.autorestart() == Autorestart.ALWAYS) {
            return new RestartDecision.Restart(delay(1), "exited with " + exit.describe() + " (autorestart: always)",
                    base);
        }
        return new RestartDecision.End(exit.clean() ? "Ended" : "Ended with " + exit.describe()
                + " (a success: exit_codes)", base);
    }

    /**
     * How a crash reads, as one sentence: "exited with exit code 3" or "killed by signal 9 (SIGKILL)" (never
     * "exited with killed by signal").
     */
    public static String crash(ExitStatus exit) {
        return exit.killedBySignal() ? exit.describe() : "exited with " + exit.describe();
    }

    public RestartDecision decide(Failure failure, FailureHistory history) {
        FailureHistory base = failure.healthyFor().compareTo(config.resetAfter()) >= 0 ? FailureHistory.NONE : history;
        if (failure.kind() == Failure.Kind.UNRECOVERABLE) {
            return new RestartDecision.GiveUp(failure.description(), base);
        }
        if (run.autorestart() == Autorestart.NEVER) {
            return new RestartDecision.GiveUp(failure.description() + " (autorestart: never)", base);
        }
        if (failure.kind() == Failure.Kind.LOST) {
            int losses = base.losses() + 1;
            return new RestartDecision.Restart(delay(losses), failure.description() + " (attempt " + losses + ")",
                    new FailureHistory(base.failures(), base.timeouts(), losses));
        }
        if (failure.kind() == Failure.Kind.TIMEOUT) {
            int timeouts = base.timeouts() + 1;
            FailureHistory next = new FailureHistory(base.failures(), timeouts, 0);
            if (timeouts >= maxTimeouts) {
                return new RestartDecision.GiveUp("timed out " + timeouts + " times in a row (--max-process-timeout "
                        + maxTimeouts + "), considered dead and removed", next);
            }
            return new RestartDecision.Restart(delay(timeouts), "timed out (" + timeouts + " of " + maxTimeouts + ")",
                    next);
        }
        int failures = base.failures() + 1;
        FailureHistory next = new FailureHistory(failures, base.timeouts(), 0);
        if (failures >= config.maxFailures()) {
            return new RestartDecision.GiveUp(failure.description() + ": failed " + failures
                    + " times without running " + seconds(config.resetAfter()) + " healthy (max_failures "
                    + config.maxFailures() + "), giving up", next);
        }
        return new RestartDecision.Restart(delay(failures), failure.description() + " (failure " + failures + " of "
                + config.maxFailures() + ")", next);
    }

    /** The delay before restart number {@code n} (1-based), jitter included; never above {@code max_backoff}. */
    Duration delay(int n) {
        double base = config.initialBackoff().toMillis() * Math.pow(config.multiplier(), Math.min(n - 1, 64));
        double capped = Math.min(base, config.maxBackoff().toMillis());
        double spread = 1 + config.jitter() * (2 * random.getAsDouble() - 1);
        // The cap holds after the jitter too: max_backoff 8 must never read "Restarting in 9.3s".
        return Duration.ofMillis(Math.max(0, Math.min(config.maxBackoff().toMillis(), Math.round(capped * spread))));
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() / 1000.0 + "s";
    }
}
