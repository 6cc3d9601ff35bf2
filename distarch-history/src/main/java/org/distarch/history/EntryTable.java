package org.distarch.history;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One entry kind's table: its columns, how a record becomes a row and back, and which filters it has columns
 * for. Every table starts with {@code id, run, time}; the SQL is the same for SQLite and PostgreSQL.
 */
final class EntryTable {

    interface Reader {
        HistoryEntry read(ResultSet rs) throws SQLException;
    }

    interface Values {
        Object[] of(HistoryEntry e);
    }

    static final EntryTable TRANSITIONS = new EntryTable(HistoryKind.TRANSITION, "transitions",
            List.of("process_id", "group_name", "group_id", "host", "process", "from_state", "to_state", "reason"),
            "process_id", "group_name", "host",
            e -> {
                var t = (HistoryEntry.Transition) e;
                return new Object[] {t.processId(), t.group(), t.groupId(), t.host(), t.process(), t.from(), t.to(),
                    t.reason()};
            },
            rs -> new HistoryEntry.Transition(rs.getLong(1), rs.getLong(2), Instant.ofEpochMilli(rs.getLong(3)),
                    rs.getInt(4), rs.getString(5), rs.getInt(6), rs.getString(7), rs.getString(8), rs.getString(9),
                    rs.getString(10), rs.getString(11)));

    static final EntryTable EXITS = new EntryTable(HistoryKind.EXIT, "exits",
            List.of("process_id", "group_name", "group_id", "host", "process", "exit_code", "exit_signal", "outcome",
                "reason", "restarts", "restart_in_ms"),
            "process_id", "group_name", "host",
            e -> {
                var x = (HistoryEntry.Exit) e;
                return new Object[] {x.processId(), x.group(), x.groupId(), x.host(), x.process(), x.code(), x.signal(),
                    x.outcome(), x.reason(), x.restarts(), x.restartIn() == null ? null : x.restartIn().toMillis()};
            },
            rs -> new HistoryEntry.Exit(rs.getLong(1), rs.getLong(2), Instant.ofEpochMilli(rs.getLong(3)),
                    rs.getInt(4), rs.getString(5), rs.getInt(6), rs.getString(7), rs.getString(8), integer(rs, 9),
                    integer(rs, 10), rs.getString(11), rs.getString(12), rs.getInt(13), millis(rs, 14)));

    static final EntryTable ACTIONS = new EntryTable(HistoryKind.ACTION, "actions",
            List.of("who", "via", "action", "target", "ok", "result"),
            null, "target", null,
            e -> {
                var a = (HistoryEntry.Action) e;
                return new Object[] {a.who(), a.via(), a.action(), a.target(), a.ok() ? 1 : 0, a.result()};
            },
            rs -> new HistoryEntry.Action(rs.getLong(1), rs.getLong(2), Instant.ofEpochMilli(rs.getLong(3)),
                    rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getInt(8) != 0,
                    rs.getString(9)));

    static final EntryTable RELAYS = new EntryTable(HistoryKind.RELAY, "relay_connections",
            List.of("host", "state", "reason"),
            null, null, "host",
            e -> {
                var r = (HistoryEntry.Relay) e;
                return new Object[] {r.host(), r.state(), r.reason()};
            },
            rs -> new HistoryEntry.Relay(rs.getLong(1), rs.getLong(2), Instant.ofEpochMilli(rs.getLong(3)),
                    rs.getString(4), rs.getString(5), rs.getString(6)));

    static final EntryTable QUEUE_TOTALS = new EntryTable(HistoryKind.QUEUE_TOTALS, "queue_totals",
            List.of("group_name", "done", "failed", "redelivered"),
            null, "group_name", null,
            e -> {
                var q = (HistoryEntry.QueueTotals) e;
                return new Object[] {q.group(), q.done(), q.failed(), q.redelivered()};
            },
            rs -> new HistoryEntry.QueueTotals(rs.getLong(1), rs.getLong(2), Instant.ofEpochMilli(rs.getLong(3)),
                    rs.getString(4), rs.getLong(5), rs.getLong(6), rs.getLong(7)));

    /** In {@link HistoryKind} order. */
    static final List<EntryTable> ALL = List.of(TRANSITIONS, EXITS, ACTIONS, RELAYS, QUEUE_TOTALS);

    final HistoryKind kind;
    final String table;
    final List<String> columns;
    /** Columns for the process, group and host filters; null when this kind has none. */
    final String processColumn;
    final String groupColumn;
    final String hostColumn;
    private final Values values;
    private final Reader reader;
    private final Map<Integer, String> inserts = new ConcurrentHashMap<>();

    private EntryTable(HistoryKind kind, String table, List<String> columns, String processColumn, String groupColumn,
            String hostColumn, Values values, Reader reader) {
        this.kind = kind;
        this.table = table;
        this.columns = columns;
        this.processColumn = processColumn;
        this.groupColumn = groupColumn;
        this.hostColumn = hostColumn;
        this.values = values;
        this.reader = reader;
    }

    static EntryTable of(HistoryKind kind) {
        return ALL.get(kind.ordinal());
    }

    String selectColumns() {
        return "id, run, time, " + String.join(", ", columns);
    }

    HistoryEntry read(ResultSet rs) throws SQLException {
        return reader.read(rs);
    }

    /** One multi-row INSERT of {@code n} rows (cached per size). */
    String insert(int n) {
        return inserts.computeIfAbsent(n, size -> {
            String row = "(" + "?, ".repeat(columns.size() + 1) + "?)";
            StringBuilder sql = new StringBuilder("INSERT INTO ").append(table).append(" (run, time, ")
                    .append(String.join(", ", columns)).append(") VALUES ");
            for (int i = 0; i < size; i++) {
                sql.append(i == 0 ? "" : ", ").append(row);
            }
            return sql.toString();
        });
    }

    /** Binds {@code rows} into {@link #insert}'s statement for their count. */
    void bind(PreparedStatement st, long run, List<HistoryEntry> rows) throws SQLException {
        int i = 1;
        for (HistoryEntry e : rows) {
            st.setLong(i++, run);
            st.setLong(i++, e.time().toEpochMilli());
            for (Object v : values.of(e)) {
                set(st, i++, v);
            }
        }
    }

    static void set(PreparedStatement st, int i, Object v) throws SQLException {
        if (v == null) {
            st.setNull(i, Types.NULL);
        } else if (v instanceof Long l) {
            st.setLong(i, l);
        } else if (v instanceof Integer n) {
            st.setInt(i, n);
        } else {
            st.setString(i, v.toString());
        }
    }

    private static Integer integer(ResultSet rs, int column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }

    private static Duration millis(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Duration.ofMillis(v);
    }
}
