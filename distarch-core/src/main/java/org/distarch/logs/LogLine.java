package org.distarch.logs;

import java.util.Locale;
import org.distarch.worker.protocol.LogLevel;

/**
 * One line of a process's output as the master keeps it (see {@link ProcessLogs}).
 *
 * @param seq         the line's number, increasing across every process of the master (never reused while it
 *                    runs): ask for lines {@code after} a number to resume where a reader left off
 * @param epochMillis when the master read it
 * @param id          the process's global id; {@code groupId} its id inside {@code group}
 * @param host        {@code localhost} or the remote host
 * @param process     its display name, {@code command/id/groupId}
 * @param origin      the stream it came from, or {@link Origin#MASTER} for the master's own marker lines
 * @param level       stdout and stderr lines get their group's levels; worker-protocol log lines keep theirs
 * @param text        the line, cut at {@link ProcessLogs#MAX_LINE_CHARS} characters with a marker
 */
public record LogLine(long seq, long epochMillis, int id, int groupId, String group, String host, String process,
        Origin origin, LogLevel level, String text) {

    /** Where a line came from. */
    public enum Origin {
        STDOUT, STDERR,
        /** The master's own line about the process: a marker at each start and at each exit. */
        MASTER;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
