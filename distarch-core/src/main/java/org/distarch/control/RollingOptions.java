package org.distarch.control;

import java.time.Duration;

/**
 * How a rolling restart goes; a null field takes the group's setting ({@code rolling_batch},
 * {@code rolling_healthy_time}).
 *
 * @param batch     processes replaced at once, at least 1
 * @param healthyFor how long each new process must run healthy (alive, not crashed, not timed out) before the
 *                   next batch, at least zero
 */
public record RollingOptions(Integer batch, Duration healthyFor) {

    /** The group's own settings. */
    public static final RollingOptions GROUP_SETTINGS = new RollingOptions(null, null);

    public RollingOptions {
        if (batch != null && batch < 1) {
            throw new IllegalArgumentException("a rolling restart's batch is at least 1 (got " + batch + ")");
        }
        if (healthyFor != null && healthyFor.isNegative()) {
            throw new IllegalArgumentException("a rolling restart's healthy time cannot be negative");
        }
    }
}
