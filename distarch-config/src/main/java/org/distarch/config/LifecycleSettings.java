package org.distarch.config;

import java.time.Duration;

/**
 * How a group is started and restarted as a whole (distarch extensions of the seed's format): whether it starts
 * with the master, how a reload that changes it and its scheduled restarts replace its processes, and when those
 * come.
 *
 * @param autostart          false: defined, shown as stopped, started only by {@code distarch start}
 * @param restartStrategy    how a reload that changes the group replaces its processes
 * @param rollingBatch       processes replaced at once by a rolling restart
 * @param rollingHealthyTime how long a new process must run healthy before a rolling restart goes on
 * @param restartEvery       a rolling restart this often, counted from the master's start; null: none
 * @param restartCron        a rolling restart at these times; null: none
 */
public record LifecycleSettings(boolean autostart, RestartStrategy restartStrategy, int rollingBatch,
        Duration rollingHealthyTime, Duration restartEvery, CronSchedule restartCron) {

    /** What a group gets without any of these keys: today's behaviour. */
    public static final LifecycleSettings DEFAULT =
            new LifecycleSettings(true, RestartStrategy.ALL, 1, Duration.ofSeconds(10), null, null);

    /** How a reload that changes a group's command, params or settings replaces its processes. */
    public enum RestartStrategy {
        /** Every process at once (stopped, then started in its new version): the default. */
        ALL,
        /** {@code rolling_batch} at a time, the next ones once the new ones ran healthy for {@code rolling_healthy_time}. */
        ROLLING
    }

    /** Whether a scheduled restart is configured. */
    public boolean scheduled() {
        return restartEvery != null || restartCron != null;
    }
}
