package org.distarch.config;

import java.time.Duration;

/**
 * Where the master keeps the fleet's history ({@code admin.history}).
 *
 * @param url         a JDBC URL, or null for the default SQLite file under the pid file's directory
 * @param user        the database user, or null
 * @param passwordEnv the environment variable holding the database password, or null
 * @param retention   how long a history row is kept
 * @param maxRows     how many rows are kept at most
 */
public record HistoryConfig(String url, String user, String passwordEnv, Duration retention, long maxRows) {

    public static final Duration DEFAULT_RETENTION = Duration.ofDays(30);
    public static final long DEFAULT_MAX_ROWS = 1_000_000;

    public static final HistoryConfig DEFAULT =
            new HistoryConfig(null, null, null, DEFAULT_RETENTION, DEFAULT_MAX_ROWS);
}
