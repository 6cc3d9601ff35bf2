package org.distarch.control;

/**
 * One process instance as {@code distarch status} shows it. Times are epoch milliseconds (0: never);
 * {@code pid}, {@code cpuMillis} and {@code rssBytes} are 0 when no process runs. CPU and memory include
 * the worker's children.
 */
public record ProcessStatus(int id, String group, String host, String process, String state, long pid,
        long startedAtMillis, int restarts, long lastSeenMillis, String lastOutput, long cpuMillis, long rssBytes) {}
