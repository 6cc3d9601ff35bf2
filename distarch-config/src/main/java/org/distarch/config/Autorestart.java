package org.distarch.config;

import java.util.Locale;

/**
 * When a group's process that exited by itself is started again ({@code autorestart:}, as in supervisord).
 * Which exits count as success is the group's {@code exit_codes}.
 */
public enum Autorestart {
    /** Every exit is followed by a start, a successful one too (after {@code initial_backoff}). */
    ALWAYS,
    /** Only a failure (an exit code not in {@code exit_codes}, a signal, a timeout) is restarted; the default. */
    ON_FAILURE,
    /** Nothing is restarted: the process stays as it ended (ended, or failed with the reason). */
    NEVER;

    /** The word as the file writes it: {@code always}, {@code on-failure}, {@code never}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The value for {@code word}, or null. */
    static Autorestart of(String word) {
        for (Autorestart value : values()) {
            if (value.word().equals(word.trim().toLowerCase(Locale.ROOT).replace('_', '-'))) {
                return value;
            }
        }
        return null;
    }
}
