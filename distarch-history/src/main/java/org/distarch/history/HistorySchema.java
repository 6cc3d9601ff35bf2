package org.distarch.history;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * The history database's schema: Flyway's migrations, and whether they are already applied.
 *
 * <p>That question is asked with one query before Flyway is called. Flyway would find the same, but it loads
 * about 400 classes (metaspace the master keeps) and takes a few hundred milliseconds of CPU at every start,
 * for a schema that changes once in a release. So the store opens without it when every migration below was
 * applied and succeeded; anything else (no table yet, a failed or missing migration, one from a newer
 * distarch, a baseline) goes to Flyway, which decides. What this skips is Flyway's checksum check of
 * migrations already applied, which only an edited released migration would fail: released migrations are
 * never edited, and every empty database in the tests goes through Flyway.
 */
final class HistorySchema {

    /** Flyway's table of applied migrations. */
    static final String TABLE = "distarch_history_schema";

    /**
     * The versions of the migrations under {@code distarch-history/sqlite} and {@code distarch-history/postgresql}
     * ({@code HistorySchemaTest} fails when a migration is added and this is not).
     */
    static final Set<String> MIGRATIONS = Set.of("1");

    private HistorySchema() {}

    /** Whether Flyway's table records exactly {@link #MIGRATIONS}, all successful. */
    static boolean current(Connection c) {
        Set<String> applied = new HashSet<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT version, type, success FROM " + TABLE)) {
            while (rs.next()) {
                String version = rs.getString(1);
                String type = rs.getString(2);
                if (!rs.getBoolean(3) || version == null || !("SQL".equals(type) || "JDBC".equals(type))) {
                    return false;
                }
                applied.add(version);
            }
        } catch (SQLException e) {
            return false; // no table yet, or one Flyway must look at: its own errors are the ones to report
        }
        return applied.equals(MIGRATIONS);
    }

    /** Creates or migrates the schema with Flyway, which takes a lock of its own while it works. */
    static void migrate(HistoryOptions options) {
        try {
            Flyway.configure(HistorySchema.class.getClassLoader())
                    .dataSource(options.jdbcUrl(), options.user(), options.password())
                    .locations("classpath:distarch-history/" + (options.sqlite() ? "sqlite" : "postgresql"))
                    .table(TABLE)
                    .connectRetries(0)
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            throw new HistoryException("history database " + options.maskedUrl() + ": cannot migrate its schema: "
                    + HistoryOptions.mask(String.valueOf(HistoryStore.rootMessage(e))), e);
        }
    }
}
