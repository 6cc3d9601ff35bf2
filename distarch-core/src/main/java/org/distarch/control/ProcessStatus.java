package org.distarch.control;

import org.distarch.event.ExitStatus;

/**
 * One process instance as {@code distarch status} shows it. Times are epoch milliseconds (0: never);
 * {@code pid}, {@code cpuMillis} and {@code rssBytes} are 0 when no process runs. CPU and memory include
 * the worker's children, and were read at most 2 s before the master's status was asked.
 *
 * @param process          the display name ({@code command/id/groupId}, feeders prefixed)
 * @param restarts         every restart so far; {@code crashes} and {@code timeouts} split the failures among them
 * @param held             why the process stays down until an operator's {@code start} ({@code stopped by operator},
 *                         {@code stopped by operator, persisted}, {@code autostart: false}), null when it is not held:
 *                         neither its restart policy, nor resume, a reload or a service's new cycle starts a held
 *                         process
 * @param groupId          the instance's number within its group (1-based)
 * @param command          the group's command as configured
 * @param role             {@code WORKER}, {@code FEEDER} or {@code CONSUMER}
 * @param stateReason      why the process is in its state ("restarting in 4 s after exit code 3"), or null
 * @param stateSinceMillis when it entered its state
 * @param stoppedAtMillis  when its last run ended (0: never)
 * @param lastExit         how its last run ended, or null when none has
 */
public record ProcessStatus(int id, String group, String host, String process, String state, long pid,
        long startedAtMillis, int restarts, long lastSeenMillis, String lastOutput, long cpuMillis, long rssBytes,
        String held, int groupId, String command, String role, String stateReason, long stateSinceMillis,
        long stoppedAtMillis, int crashes, int timeouts, ExitStatus lastExit) {

    /** The columns {@code distarch status} has always had, not held; the others empty. */
    public ProcessStatus(int id, String group, String host, String process, String state, long pid,
            long startedAtMillis, int restarts, long lastSeenMillis, String lastOutput, long cpuMillis, long rssBytes) {
        this(id, group, host, process, state, pid, startedAtMillis, restarts, lastSeenMillis, lastOutput, cpuMillis,
                rssBytes, null);
    }

    /** The columns {@code distarch status} shows, with {@code held}; the others empty. */
    public ProcessStatus(int id, String group, String host, String process, String state, long pid,
            long startedAtMillis, int restarts, long lastSeenMillis, String lastOutput, long cpuMillis, long rssBytes,
            String held) {
        this(id, group, host, process, state, pid, startedAtMillis, restarts, lastSeenMillis, lastOutput, cpuMillis,
                rssBytes, held, 0, null, null, null, 0, 0, 0, 0, null);
    }
}
