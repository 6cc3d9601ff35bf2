package org.distarch.worker.protocol;

import java.util.Locale;
import java.util.Optional;

/** Level of a worker's log line. A plain output line is {@link #INFO}. */
public enum LogLevel {
    TRACE, DEBUG, INFO, WARN, ERROR;

    /** Lower-case name as written on the wire. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Lenient parse: case-insensitive, surrounding blanks ignored, {@code warning} accepted
     * for {@link #WARN}. Empty for anything else, never throws.
     */
    public static Optional<LogLevel> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "trace": return Optional.of(TRACE);
            case "debug": return Optional.of(DEBUG);
            case "info": return Optional.of(INFO);
            case "warn":
            case "warning": return Optional.of(WARN);
            case "error": return Optional.of(ERROR);
            default: return Optional.empty();
        }
    }
}
