package org.distarch.admin.api;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.distarch.logs.LogLine;
import org.distarch.worker.protocol.LogLevel;

/**
 * Which log lines a reader wants beside the processes it selects: the streams ({@code stream=stdout,stderr};
 * {@code master} for the start and exit markers), the least level ({@code level=warn}: warn and error) and a
 * text ({@code q}, ignoring case). Absent parameters let everything through.
 */
record LineFilter(Set<LogLine.Origin> streams, LogLevel level, String text) {

    static final LineFilter ALL = new LineFilter(EnumSet.allOf(LogLine.Origin.class), null, null);

    static LineFilter of(Map<String, List<String>> query) {
        Set<LogLine.Origin> streams = EnumSet.noneOf(LogLine.Origin.class);
        for (String value : query.getOrDefault("stream", List.of())) {
            for (String name : value.split(",")) {
                if (!name.isBlank()) {
                    streams.add(origin(name.trim()));
                }
            }
        }
        if (streams.isEmpty()) {
            streams = EnumSet.allOf(LogLine.Origin.class);
        }
        String levelText = ProcessFilter.single(query, "level");
        LogLevel level = null;
        if (levelText != null) {
            level = LogLevel.parse(levelText).orElseThrow(() -> ApiException.badRequest("level must be one of "
                    + "trace, debug, info, warn, error (got \"" + levelText + "\")"));
        }
        String text = ProcessFilter.single(query, "q");
        return new LineFilter(streams, level, text == null ? null : text.toLowerCase(Locale.ROOT));
    }

    /** Whether every line passes (the store's own tail then answers the line count exactly). */
    boolean passesAll() {
        return streams.size() == LogLine.Origin.values().length && level == null && text == null;
    }

    boolean matches(LogLine line) {
        return streams.contains(line.origin())
                && (level == null || line.level().compareTo(level) >= 0)
                && (text == null || line.text().toLowerCase(Locale.ROOT).contains(text));
    }

    private static LogLine.Origin origin(String name) {
        for (LogLine.Origin o : LogLine.Origin.values()) {
            if (o.wireName().equalsIgnoreCase(name)) {
                return o;
            }
        }
        throw ApiException.badRequest("stream must be stdout, stderr or master (got \"" + name + "\")");
    }
}
