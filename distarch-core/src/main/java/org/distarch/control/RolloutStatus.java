package org.distarch.control;

/**
 * A group's rolling restart, under way or the last one done: {@code state} is {@code RUNNING}, {@code DONE},
 * {@code HALTED} (a new process failed: the rest kept their old version) or {@code ABORTED} (the group was
 * suspended or removed, or the master stops). Times are epoch milliseconds.
 *
 * @param cause     what began it: {@code operator}, {@code reload}, {@code restart_every} or {@code restart_cron}
 * @param replaced  processes whose new version ran healthy so far
 * @param total     processes the rollout replaces
 * @param message   a one-line account (why it halted, what is in progress)
 */
public record RolloutStatus(String group, String cause, String state, int batch, long healthyForMillis, int replaced,
        int total, long startedAtMillis, long endedAtMillis, String message) {}
