package org.distarch.history;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

/**
 * Which entries to read, newest first: any combination of a run, a process id, a group, a host, kinds and a
 * time range ({@code since} inclusive, {@code until} exclusive), one page of at most {@code limit} entries
 * before the cursor {@code before} (null: from the newest). A null filter matches everything. Filters that an
 * entry kind has no column for exclude it: a process filter keeps only transitions and exits; a group filter
 * keeps transitions, exits, queue totals and the actions whose target is that group; a host filter keeps
 * transitions, exits and relay connections.
 */
public record HistoryQuery(Long run, Integer processId, String group, String host, Set<HistoryKind> kinds,
        Instant since, Instant until, int limit, String before) {

    /** The most one page may hold. */
    public static final int MAX_LIMIT = 10_000;

    public HistoryQuery {
        kinds = kinds == null || kinds.isEmpty() ? EnumSet.allOf(HistoryKind.class) : EnumSet.copyOf(kinds);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + " (got " + limit + ")");
        }
        if (before != null) {
            Cursor.parse(before); // refuse a malformed cursor here, with its reason
        }
    }

    /** Everything, newest first, 100 a page. */
    public static HistoryQuery all() {
        return new HistoryQuery(null, null, null, null, null, null, null, 100, null);
    }

    public HistoryQuery run(Long run) {
        return new HistoryQuery(run, processId, group, host, kinds, since, until, limit, before);
    }

    public HistoryQuery process(Integer processId) {
        return new HistoryQuery(run, processId, group, host, kinds, since, until, limit, before);
    }

    public HistoryQuery group(String group) {
        return new HistoryQuery(run, processId, group, host, kinds, since, until, limit, before);
    }

    public HistoryQuery host(String host) {
        return new HistoryQuery(run, processId, group, host, kinds, since, until, limit, before);
    }

    public HistoryQuery kinds(Set<HistoryKind> kinds) {
        return new HistoryQuery(run, processId, group, host, kinds, since, until, limit, before);
    }

    public HistoryQuery between(Instant since, Instant until) {
        return new HistoryQuery(run, processId, group, host, kinds, since, until, limit, before);
    }

    public HistoryQuery limit(int limit) {
        return new HistoryQuery(run, processId, group, host, kinds, since, until, limit, before);
    }

    public HistoryQuery before(String cursor) {
        return new HistoryQuery(run, processId, group, host, kinds, since, until, limit, cursor);
    }

    /** Whether entries of {@code kind} can match the filters at all. */
    boolean selects(HistoryKind kind) {
        if (!kinds.contains(kind)) {
            return false;
        }
        if (processId != null && kind != HistoryKind.TRANSITION && kind != HistoryKind.EXIT) {
            return false;
        }
        if (group != null && kind == HistoryKind.RELAY) {
            return false;
        }
        return host == null || kind == HistoryKind.TRANSITION || kind == HistoryKind.EXIT || kind == HistoryKind.RELAY;
    }
}
