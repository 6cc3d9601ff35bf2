package org.distarch.history;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The history database over JDBC, SQLite or PostgreSQL alike. {@link #open} brings the schema up to date
 * (Flyway migrations, {@code distarch-history/sqlite} and {@code distarch-history/postgresql} on the class
 * path) and is then ready for the writer ({@link #startRun}, {@link #write}, {@link #retain}: one thread, one
 * connection, kept open and reopened after a failure) and for any number of readers ({@link #query},
 * {@link #runs}, {@link #processes}: a connection each, so a query never waits behind a batch for long).
 * Every failure is a {@link HistoryException} naming the database with its password masked.
 */
public final class HistoryStore implements AutoCloseable {

    /** Rows per INSERT statement: far below SQLite's 32,766 and PostgreSQL's 65,535 parameters. */
    static final int ROWS_PER_STATEMENT = 200;

    private final HistoryOptions options;
    private Connection writer;
    private boolean migrated;

    private HistoryStore(HistoryOptions options) {
        this.options = options;
    }

    /**
     * Connects and migrates the schema to the current version (creating it in an empty database); a schema that
     * already is current opens without Flyway ({@link HistorySchema}).
     *
     * @throws HistoryException when the database cannot be reached or migrated
     */
    public static HistoryStore open(HistoryOptions options) {
        if (options.sqlite()) {
            SqliteFiles.prepare(options.sqliteFile());
        }
        HistoryStore store = new HistoryStore(options);
        if (!store.schemaCurrent()) {
            HistorySchema.migrate(options);
            store.migrated = true;
        }
        return store;
    }

    /** Asked on the writer's connection, which stays open for the writer; any failure is left to Flyway. */
    private synchronized boolean schemaCurrent() {
        try {
            if (HistorySchema.current(writer())) {
                return true;
            }
        } catch (SQLException e) {
            // unreachable: Flyway's attempt reports it
        }
        closeWriter();
        return false;
    }

    /** Whether {@link #open} ran Flyway's migration (the tests' view of {@link HistorySchema}). */
    boolean migrated() {
        return migrated;
    }

    public HistoryOptions options() {
        return options;
    }

    // ---- the writer's side (one thread) -------------------------------------------------------------

    /** Records a master start; returns its run id. */
    public synchronized long startRun(RunRecord run) {
        try {
            Connection c = writer();
            try (PreparedStatement st = c.prepareStatement("INSERT INTO runs (started, host, pid, config, version) "
                    + "VALUES (?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
                st.setLong(1, run.started().toEpochMilli());
                st.setString(2, run.host());
                st.setLong(3, run.pid());
                EntryTable.set(st, 4, run.config());
                EntryTable.set(st, 5, run.version());
                st.executeUpdate();
                try (ResultSet keys = st.getGeneratedKeys()) {
                    if (!keys.next()) {
                        throw new SQLException("no id returned for the new run");
                    }
                    return keys.getLong(1);
                }
            }
        } catch (SQLException e) {
            throw failed("cannot record the run", e);
        }
    }

    /** Records the end of a run. */
    public synchronized void endRun(long run, Instant stopped, Integer exitCode, String reason) {
        try (PreparedStatement st = writer().prepareStatement(
                "UPDATE runs SET stopped = ?, exit_code = ?, reason = ? WHERE id = ?")) {
            st.setLong(1, stopped.toEpochMilli());
            EntryTable.set(st, 2, exitCode);
            EntryTable.set(st, 3, reason);
            st.setLong(4, run);
            st.executeUpdate();
        } catch (SQLException e) {
            throw failed("cannot record the end of run " + run, e);
        }
    }

    /** Writes {@code entries} of run {@code run} in one transaction: all of them or, on a failure, none. */
    public synchronized void write(long run, List<HistoryEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        Map<HistoryKind, List<HistoryEntry>> byKind = new LinkedHashMap<>();
        entries.forEach(e -> byKind.computeIfAbsent(e.kind(), k -> new ArrayList<>()).add(e));
        Connection c = null;
        try {
            c = writer();
            c.setAutoCommit(false);
            for (Map.Entry<HistoryKind, List<HistoryEntry>> kind : byKind.entrySet()) {
                EntryTable table = EntryTable.of(kind.getKey());
                List<HistoryEntry> rows = kind.getValue();
                for (int from = 0; from < rows.size(); from += ROWS_PER_STATEMENT) {
                    List<HistoryEntry> chunk = rows.subList(from, Math.min(rows.size(), from + ROWS_PER_STATEMENT));
                    try (PreparedStatement st = c.prepareStatement(table.insert(chunk.size()))) {
                        table.bind(st, run, chunk);
                        st.executeUpdate();
                    }
                }
            }
            c.commit();
            c.setAutoCommit(true);
        } catch (SQLException e) {
            throw failed("cannot write " + entries.size() + " entries", e);
        }
    }

    /**
     * Deletes what is older than the retention and, per kind, all but the newest {@code maxRows} entries, then
     * the runs left with no entries (except {@code keepRun}, the current one). Returns how many rows went.
     */
    public synchronized long retain(Instant now, long keepRun) {
        long cutoff = now.minus(options.retention()).toEpochMilli();
        long deleted = 0;
        try {
            Connection c = writer();
            for (EntryTable t : EntryTable.ALL) {
                deleted += update(c, "DELETE FROM " + t.table + " WHERE time < ?", cutoff);
                deleted += update(c, "DELETE FROM " + t.table + " WHERE id <= (SELECT id FROM " + t.table
                        + " ORDER BY id DESC LIMIT 1 OFFSET ?)", options.maxRows());
            }
            StringBuilder orphan = new StringBuilder("DELETE FROM runs WHERE id <> ? AND started < ?");
            for (EntryTable t : EntryTable.ALL) {
                orphan.append(" AND NOT EXISTS (SELECT 1 FROM ").append(t.table).append(" WHERE run = runs.id)");
            }
            deleted += update(c, orphan.toString(), keepRun, cutoff);
            return deleted;
        } catch (SQLException e) {
            throw failed("cannot apply the retention", e);
        }
    }

    private static long update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                EntryTable.set(st, i + 1, params[i]);
            }
            return st.executeUpdate();
        }
    }

    private Connection writer() throws SQLException {
        if (writer == null) {
            writer = connect();
        }
        return writer;
    }

    // ---- readers (any thread) -------------------------------------------------------------------------

    /** One page of entries, newest first. */
    public HistoryPage query(HistoryQuery q) {
        Cursor cursor = q.before() == null ? null : Cursor.parse(q.before());
        List<HistoryEntry> found = new ArrayList<>();
        try (Connection c = connect()) {
            for (EntryTable t : EntryTable.ALL) {
                if (q.selects(t.kind)) {
                    found.addAll(select(c, t, q, cursor));
                }
            }
        } catch (SQLException e) {
            throw readFailed("cannot read the history", e);
        }
        found.sort(Cursor::compare);
        if (found.size() <= q.limit()) {
            return new HistoryPage(found, null);
        }
        List<HistoryEntry> page = found.subList(0, q.limit());
        return new HistoryPage(page, Cursor.of(page.get(page.size() - 1)).toString());
    }

    private static List<HistoryEntry> select(Connection c, EntryTable t, HistoryQuery q, Cursor cursor)
            throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT ").append(t.selectColumns()).append(" FROM ").append(t.table)
                .append(" WHERE 1 = 1");
        List<Object> params = new ArrayList<>();
        filter(sql, params, "run", q.run());
        filter(sql, params, t.processColumn, q.processId());
        filter(sql, params, t.groupColumn, q.group());
        filter(sql, params, t.hostColumn, q.host());
        if (q.since() != null) {
            sql.append(" AND time >= ?");
            params.add(q.since().toEpochMilli());
        }
        if (q.until() != null) {
            sql.append(" AND time < ?");
            params.add(q.until().toEpochMilli());
        }
        if (cursor != null) {
            // after the cursor in (time desc, kind, id desc) order
            int order = t.kind.compareTo(cursor.kind());
            if (order > 0) {
                sql.append(" AND time <= ?");
                params.add(cursor.time());
            } else if (order < 0) {
                sql.append(" AND time < ?");
                params.add(cursor.time());
            } else {
                sql.append(" AND (time < ? OR (time = ? AND id < ?))");
                params.add(cursor.time());
                params.add(cursor.time());
                params.add(cursor.id());
            }
        }
        sql.append(" ORDER BY time DESC, id DESC LIMIT ?");
        params.add(q.limit() + 1);
        List<HistoryEntry> rows = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < params.size(); i++) {
                EntryTable.set(st, i + 1, params.get(i));
            }
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    rows.add(t.read(rs));
                }
            }
        }
        return rows;
    }

    private static void filter(StringBuilder sql, List<Object> params, String column, Object value) {
        if (value != null && column != null) {
            sql.append(" AND ").append(column).append(" = ?");
            params.add(value);
        }
    }

    /** The runs, newest first, at most {@code limit}. */
    public List<RunRecord> runs(int limit) {
        try (Connection c = connect();
                PreparedStatement st = c.prepareStatement("SELECT id, started, stopped, host, pid, config, version, "
                        + "exit_code, reason FROM runs ORDER BY id DESC LIMIT ?")) {
            st.setInt(1, limit);
            List<RunRecord> runs = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    long stopped = rs.getLong(3);
                    Instant stoppedAt = rs.wasNull() ? null : Instant.ofEpochMilli(stopped);
                    int code = rs.getInt(8);
                    Integer exitCode = rs.wasNull() ? null : code;
                    runs.add(new RunRecord(rs.getLong(1), Instant.ofEpochMilli(rs.getLong(2)), stoppedAt,
                            rs.getString(4), rs.getLong(5), rs.getString(6), rs.getString(7), exitCode,
                            rs.getString(9)));
                }
            }
            return runs;
        } catch (SQLException e) {
            throw readFailed("cannot read the runs", e);
        }
    }

    /** The run {@code id}, if the history still has it. */
    public Optional<RunRecord> run(long id) {
        return runs(Integer.MAX_VALUE).stream().filter(r -> r.id() == id).findFirst();
    }

    /** Every process of run {@code run} as last seen, by process id. */
    public List<ProcessSummary> processes(long run) {
        try (Connection c = connect()) {
            Map<Integer, Object[]> lastExit = new HashMap<>();
            try (PreparedStatement st = c.prepareStatement("SELECT x.process_id, x.exit_code, x.exit_signal, x.reason, "
                    + "n.exits FROM exits x JOIN (SELECT process_id, MAX(id) AS last, COUNT(*) AS exits FROM exits "
                    + "WHERE run = ? GROUP BY process_id) n ON x.id = n.last")) {
                st.setLong(1, run);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        int code = rs.getInt(2);
                        Integer exitCode = rs.wasNull() ? null : code;
                        int signal = rs.getInt(3);
                        Integer exitSignal = rs.wasNull() ? null : signal;
                        lastExit.put(rs.getInt(1), new Object[] {exitCode, exitSignal, rs.getString(4), rs.getInt(5)});
                    }
                }
            }
            List<ProcessSummary> processes = new ArrayList<>();
            try (PreparedStatement st = c.prepareStatement("SELECT t.process_id, t.group_name, t.group_id, t.host, "
                    + "t.process, t.to_state, t.time, t.reason, n.starts FROM transitions t JOIN (SELECT process_id, "
                    + "MAX(id) AS last, SUM(CASE WHEN to_state = 'STARTING' THEN 1 ELSE 0 END) AS starts "
                    + "FROM transitions WHERE run = ? GROUP BY process_id) n ON t.id = n.last ORDER BY t.process_id")) {
                st.setLong(1, run);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        Object[] exit = lastExit.getOrDefault(rs.getInt(1), new Object[] {null, null, null, 0});
                        processes.add(new ProcessSummary(run, rs.getInt(1), rs.getString(2), rs.getInt(3),
                                rs.getString(4), rs.getString(5), rs.getString(6), Instant.ofEpochMilli(rs.getLong(7)),
                                rs.getString(8), rs.getInt(9), (Integer) exit[3], (Integer) exit[0],
                                (Integer) exit[1], (String) exit[2]));
                    }
                }
            }
            return processes;
        } catch (SQLException e) {
            throw readFailed("cannot read the processes of run " + run, e);
        }
    }

    // ---- connections ----------------------------------------------------------------------------------

    private Connection connect() throws SQLException {
        Properties p = new Properties();
        if (options.user() != null) {
            p.setProperty("user", options.user());
        }
        String password = options.password();
        if (password != null) {
            p.setProperty("password", password);
        }
        if (options.sqlite()) {
            // WAL: readers (distarch history, the API) never block the writer nor wait for its batch
            p.setProperty("journal_mode", "WAL");
            p.setProperty("synchronous", "NORMAL");
            p.setProperty("busy_timeout", "10000");
        } else {
            // a database that is down or unreachable fails fast instead of holding the writer for minutes
            p.setProperty("connectTimeout", "5");
            p.setProperty("loginTimeout", "5");
            p.setProperty("socketTimeout", "30");
            p.setProperty("ApplicationName", "distarch");
        }
        return DriverManager.getConnection(options.jdbcUrl(), p);
    }

    /** The writer's connection is dropped after a failure: the next batch reconnects. */
    private HistoryException failed(String what, SQLException e) {
        closeWriter();
        return readFailed(what, e);
    }

    private HistoryException readFailed(String what, SQLException e) {
        return new HistoryException("history database " + options.maskedUrl() + ": " + what + ": "
                + HistoryOptions.mask(String.valueOf(rootMessage(e))), e);
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t == e ? e.getMessage() : e.getMessage() + " (" + t.getMessage() + ")";
    }

    private synchronized void closeWriter() {
        if (writer != null) {
            try {
                writer.close();
            } catch (SQLException ignored) {
                // already broken: that is why it is being closed
            }
            writer = null;
        }
    }

    @Override
    public void close() {
        closeWriter();
    }
}
