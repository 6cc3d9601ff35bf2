/**
 * The master's history: what happened to every process (transitions, exits), who steered the fleet (the
 * audit), relay connections and queue totals, in SQLite (default) or PostgreSQL; kept across master restarts.
 * Internal: exported to the distarch modules that write it (the master's assembly) and read it (the
 * {@code history} command, metrics, the HTTP API).
 */
module org.distarch.history {
    requires transitive org.distarch.core;
    requires transitive java.sql;
    requires com.fasterxml.jackson.datatype.jsr310;
    requires flyway.core;

    exports org.distarch.history to org.distarch.cli, org.distarch.metrics, org.distarch.admin, org.distarch.bench;

    // Jackson writes the history records as JSON (distarch history --json, the HTTP API) and reads them back (history --url).
    opens org.distarch.history to com.fasterxml.jackson.databind;
}
