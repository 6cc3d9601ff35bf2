package org.distarch.history;

import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Where the history lives and how long it is kept. {@code jdbcUrl} is {@code jdbc:sqlite:FILE} or
 * {@code jdbc:postgresql://...}; {@code user} may be null; the password is never held here, only the name of
 * the environment variable that holds it ({@code passwordEnv}, may be null), so it cannot reach a log or a
 * command line. Entries older than {@code retention} are deleted, and each kind keeps at most {@code maxRows}
 * (the newest).
 */
public record HistoryOptions(String jdbcUrl, String user, String passwordEnv, Duration retention, long maxRows) {

    /** The SQLite file's name under the pid file's directory. */
    public static final String DEFAULT_FILE = "history.db";
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(30);
    public static final long DEFAULT_MAX_ROWS = 1_000_000;

    private static final Pattern URL_PASSWORD = Pattern.compile("(?i)(password=)[^&;]*");
    private static final Pattern URL_USERINFO = Pattern.compile("(//[^/@:]*:)[^/@]*@");

    public HistoryOptions {
        if (jdbcUrl == null || !(isSqlite(jdbcUrl) || jdbcUrl.startsWith("jdbc:postgresql:"))) {
            throw new IllegalArgumentException("history: the JDBC URL must start with jdbc:sqlite: or "
                    + "jdbc:postgresql: (got " + (jdbcUrl == null ? "none" : "\"" + mask(jdbcUrl) + "\"") + ")");
        }
        if (retention == null || retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("history: retention must be positive (got " + retention + ")");
        }
        if (maxRows < 1) {
            throw new IllegalArgumentException("history: max rows must be at least 1 (got " + maxRows + ")");
        }
    }

    /** The default store: SQLite file {@value #DEFAULT_FILE} in {@code directory}, 30 days, a million rows a kind. */
    public static HistoryOptions sqliteIn(Path directory) {
        return sqlite(directory.resolve(DEFAULT_FILE));
    }

    public static HistoryOptions sqlite(Path file) {
        return new HistoryOptions("jdbc:sqlite:" + file.toAbsolutePath(), null, null, DEFAULT_RETENTION,
                DEFAULT_MAX_ROWS);
    }

    public HistoryOptions withRetention(Duration retention, long maxRows) {
        return new HistoryOptions(jdbcUrl, user, passwordEnv, retention, maxRows);
    }

    public boolean sqlite() {
        return isSqlite(jdbcUrl);
    }

    /** The SQLite file, or null for PostgreSQL. */
    public Path sqliteFile() {
        return sqlite() ? Path.of(jdbcUrl.substring("jdbc:sqlite:".length()).replaceFirst("\\?.*$", "")) : null;
    }

    /** The password, read from the environment now; null without one. */
    String password() {
        return passwordEnv == null ? null : System.getenv(passwordEnv);
    }

    /** The URL fit for a log line: any password in it replaced by {@code ***}. */
    public String maskedUrl() {
        return mask(jdbcUrl);
    }

    static String mask(String url) {
        return URL_USERINFO.matcher(URL_PASSWORD.matcher(url).replaceAll("$1***")).replaceAll("$1***@");
    }

    private static boolean isSqlite(String url) {
        return url.startsWith("jdbc:sqlite:");
    }

    /** Never the password: the URL masked. */
    @Override
    public String toString() {
        return "HistoryOptions[" + maskedUrl() + ", user=" + user + ", passwordEnv=" + passwordEnv + ", retention="
                + retention + ", maxRows=" + maxRows + "]";
    }
}
