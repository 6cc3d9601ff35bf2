package org.distarch.cli;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import org.distarch.config.HistoryConfig;
import org.distarch.history.HistoryOptions;
import org.distarch.history.HistoryWriter;
import org.distarch.history.RunRecord;
import org.distarch.output.LogRecord;
import org.distarch.output.LogSink;
import org.distarch.worker.protocol.LogLevel;

/**
 * The master's history writer, on by default: SQLite file {@code history.db} beside the pid file (where
 * {@code distarch history --pid FILE} finds it), or the database of the configuration's {@code admin.history}
 * ({@code url}, {@code user}, the password from the variable {@code password_env}, {@code retention},
 * {@code max_rows}).
 */
final class MasterHistory {

    static {
        // Flyway says at INFO what it checks and migrates at every open; the master and history say what matters.
        if (System.getProperty("org.slf4j.simpleLogger.log.org.flywaydb") == null) {
            System.setProperty("org.slf4j.simpleLogger.log.org.flywaydb", "warn");
        }
    }

    private MasterHistory() {}

    static HistoryOptions defaultOptions(Path pidFile) {
        return HistoryOptions.sqliteIn(pidFile.toAbsolutePath().getParent());
    }

    /**
     * The store {@code admin.history} names, else the default file; its retention either way.
     *
     * @throws IllegalArgumentException naming the key, for a URL of another database or a password variable
     *                                  that is not set (the value itself is never shown)
     */
    static HistoryOptions options(Path pidFile, HistoryConfig config, java.util.function.UnaryOperator<String> env) {
        if (config.passwordEnv() != null && env.apply(config.passwordEnv()) == null) {
            throw new IllegalArgumentException("admin.history.password_env: the variable " + config.passwordEnv()
                    + " is not set in the master's environment (it holds the history database's password)");
        }
        try {
            if (config.url() == null) {
                return defaultOptions(pidFile).withRetention(config.retention(), config.maxRows());
            }
            return new HistoryOptions(config.url(), config.user(), config.passwordEnv(), config.retention(),
                    config.maxRows());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("admin.history.url: " + e.getMessage(), e);
        }
    }

    /**
     * The writer, not yet started: {@link HistoryWriter#start()} it once the master's start cannot fail any more
     * (it then opens the store on its own thread: a slow or broken database delays nothing); events it hears
     * before wait in its queue.
     */
    static HistoryWriter writer(HistoryOptions options, String config, LogSink log, Clock clock) {
        RunRecord run = RunRecord.starting(clock.instant(), hostName(), ProcessHandle.current().pid(), config,
                version());
        return new HistoryWriter(options, run, HistoryWriter.Settings.DEFAULTS, clock,
                new HistoryWriter.Notices() {
                    @Override
                    public void warn(String message) {
                        log.offer(new LogRecord(clock.millis(), LogLevel.WARN, null, message, null));
                    }

                    @Override
                    public void info(String message) {
                        log.offer(new LogRecord(clock.millis(), LogLevel.INFO, null, message, null));
                    }
                });
    }

    static String version() {
        String v = Distarch.class.getPackage().getImplementationVersion();
        return v == null ? "development build" : v;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
