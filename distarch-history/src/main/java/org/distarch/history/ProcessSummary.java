package org.distarch.history;

import java.time.Instant;

/**
 * One process of a run as the history last saw it: its last {@code state} (since {@code since}, for
 * {@code reason}), how often it was started, how often it stopped, and its last exit (code or signal, null
 * when none or it never ran).
 */
public record ProcessSummary(long run, int processId, String group, int groupId, String host, String process,
        String state, Instant since, String reason, int starts, int exits, Integer lastExitCode,
        Integer lastExitSignal, String lastExitReason) {}
