package org.distarch.output;

import java.util.Map;
import org.distarch.worker.protocol.LogLevel;

/**
 * One line of the master's log. {@code source} is null for the master's own lines; otherwise it names
 * the process (or the host's master) the line is about. {@code stream} is {@code stdout} or {@code stderr}
 * for a line a worker printed, null for the master's own lines.
 */
public record LogRecord(long epochMillis, LogLevel level, LogSource source, String message, Map<String, String> context,
        String stream) {

    public LogRecord {
        context = context == null || context.isEmpty() ? Map.of() : Map.copyOf(context);
    }

    public LogRecord(long epochMillis, LogLevel level, LogSource source, String message, Map<String, String> context) {
        this(epochMillis, level, source, message, context, null);
    }
}
