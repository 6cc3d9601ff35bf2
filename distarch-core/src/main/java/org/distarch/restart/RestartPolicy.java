package org.distarch.restart;

import java.time.Duration;
import java.util.function.DoubleSupplier;
import org.distarch.config.RestartConfig;

/**
 * Decides, with no side effect, whether a failed process is restarted and after how long.
 *
 * <ul>
 *   <li>A process that was healthy for {@code reset_after} starts with clean budgets.</li>
 *   <li>Crashes and failed launches count against {@code max_failures}; silence timeouts count against
 *       the master's {@code --max-process-timeout}. Reaching either gives up.</li>
 *   <li>The delay is {@code initial_backoff × multiplier^(n−1)}, capped at {@code max_backoff}, then
 *       spread by ±{@code jitter} so that a fleet that failed together does not restart in lockstep.</li>
 * </ul>
 */
public final class RestartPolicy {

    private final RestartConfig config;
    private final int maxTimeouts;
    private final DoubleSupplier random;

    /** @param random uniform values in [0, 1); injected so that tests are exact */
    public RestartPolicy(RestartConfig config, int maxTimeouts, DoubleSupplier random) {
        this.config = config;
        this.maxTimeouts = maxTimeouts;
        this.random = random;
    }

    public RestartDecision decide(Failure failure, FailureHistory history) {
        FailureHistory base = failure.healthyFor().compareTo(config.resetAfter()) >= 0 ? FailureHistory.NONE : history;
        if (failure.kind() == Failure.Kind.UNRECOVERABLE) {
            return new RestartDecision.GiveUp(failure.description(), base);
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
