package org.distarch.control;

/**
 * One process instance as {@code distarch status} shows it. Times are epoch milliseconds (0: never);
 * {@code pid}, {@code cpuMillis} and {@code rssBytes} are 0 when no process runs. CPU and memory include
 * the worker's children. {@code held} says why the process stays down until an operator's {@code start}
 * ({@code stopped by operator}, {@code stopped by operator, persisted}, {@code autostart: false}), null when it
 * is not held: neither its restart policy, nor resume, a reload or a service's new cycle starts a held process.
 */
public record ProcessStatus(int id, String group, String host, String process, String state, long pid,
        long startedAtMillis, int restarts, long lastSeenMillis, String lastOutput, long cpuMillis, long rssBytes,
        String held) {

    /** A process that is not held. */
    public ProcessStatus(int id, String group, String host, String process, String state, long pid,
            long startedAtMillis, int restarts, long lastSeenMillis, String lastOutput, long cpuMillis, long rssBytes) {
        this(id, group, host, process, state, pid, startedAtMillis, restarts, lastSeenMillis, lastOutput, cpuMillis,
                rssBytes, null);
    }
}
