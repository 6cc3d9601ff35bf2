package org.distarch.logs;

import org.distarch.worker.protocol.LogLevel;

/**
 * Where one process's lines go into the {@link ProcessLogs}: its buffer, its subscribers and its file. Called
 * by the process's reading threads and, for markers, by the supervision thread; never blocks.
 */
public final class ProcessLog {

    /** A feed that keeps nothing, for supervisors built without a store. */
    public static final ProcessLog DISCARD = new ProcessLog(null, null);

    private final ProcessLogs store;
    private final ProcessLogs.Buffer buffer;

    ProcessLog(ProcessLogs store, ProcessLogs.Buffer buffer) {
        this.store = store;
        this.buffer = buffer;
    }

    public void line(LogLine.Origin origin, LogLevel level, long epochMillis, String text) {
        if (store != null) {
            store.append(buffer, origin, level, epochMillis, text);
        }
    }

    /** The master's own line about the process (a start, an exit), so restarts show in its history. */
    public void marker(LogLevel level, long epochMillis, String text) {
        line(LogLine.Origin.MASTER, level, epochMillis, text);
    }
}
