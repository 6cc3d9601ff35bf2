package org.distarch.control;

/**
 * One group as {@code distarch status} shows it: suspended or not (and whether an operator asked that it stay
 * so across a master restart), its scheduled restart ({@code schedule} as configured, e.g. {@code every 6h} or
 * {@code cron 0 4 * * *}, null when none; {@code nextRestartMillis} epoch milliseconds, 0 when none), and its
 * rolling restart under way or last done (null when none ran).
 */
public record GroupStatus(String name, boolean suspended, boolean persisted, boolean autostart, String schedule,
        long nextRestartMillis, RolloutStatus rollout) {}
