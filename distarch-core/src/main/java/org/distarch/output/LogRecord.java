package org.distarch.output;

import java.util.Map;
import org.distarch.worker.protocol.LogLevel;

/**
 * One line of the master's log. {@code source} is null for the master's own lines; otherwise it names
 * the process (or the host's master) the line is about.
 */
public record LogRecord(long epochMillis, LogLevel level, LogSource source, String message, Map<String, String> context) {

    public LogRecord {
        context = context == null || context.isEmpty() ? Map.of() : Map.copyOf(context);
    }
}
