package org.distarch.logs;

import java.util.List;
import org.distarch.worker.protocol.LogLevel;

/**
 * Where one process's lines go into the {@link ProcessLogs}: its buffer, its subscribers and its file. Called
 * by the process's reading threads and, for markers, by the supervision thread. Only a reading thread may wait:
 * for room in the process's file when its writer is behind (markers never wait).
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
            store.append(buffer, origin, List.of(level), epochMillis, List.of(text));
        }
    }

    /**
     * The lines of one read of a stream, in order, {@code levels.get(i)} the level of {@code texts.get(i)}: kept
     * and handed to the file and the subscribers under one lock, with one wake-up each.
     */
    public void lines(LogLine.Origin origin, List<LogLevel> levels, long epochMillis, List<String> texts) {
        if (store != null && !texts.isEmpty()) {
            store.append(buffer, origin, levels, epochMillis, texts);
        }
    }

    /** The master's own line about the process (a start, an exit), so restarts show in its history. */
    public void marker(LogLevel level, long epochMillis, String text) {
        line(LogLine.Origin.MASTER, level, epochMillis, text);
    }
}
