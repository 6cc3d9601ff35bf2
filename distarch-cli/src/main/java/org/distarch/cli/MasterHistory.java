package org.distarch.cli;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import org.distarch.history.HistoryOptions;
import org.distarch.history.HistoryWriter;
import org.distarch.history.RunRecord;
import org.distarch.output.LogRecord;
import org.distarch.output.LogSink;
import org.distarch.worker.protocol.LogLevel;

/**
 * The master's history writer, on by default: SQLite file {@code history.db} beside the pid file (where
 * {@code distarch history --pid FILE} finds it). A PostgreSQL URL and retention will come from the
 * configuration's {@code admin.history} section; until then only this default store is wired.
 */
final class MasterHistory {

    private MasterHistory() {}

    static HistoryOptions defaultOptions(Path pidFile) {
        return HistoryOptions.sqliteIn(pidFile.toAbsolutePath().getParent());
    }

    /** Starts the writer (it opens the store on its own thread: a slow or broken database delays nothing). */
    static HistoryWriter start(Path pidFile, String config, LogSink log, Clock clock) {
        RunRecord run = RunRecord.starting(clock.instant(), hostName(), ProcessHandle.current().pid(), config,
                version());
        return new HistoryWriter(defaultOptions(pidFile), run, HistoryWriter.Settings.DEFAULTS, clock,
                new HistoryWriter.Notices() {
                    @Override
                    public void warn(String message) {
                        log.offer(new LogRecord(clock.millis(), LogLevel.WARN, null, message, null));
                    }

                    @Override
                    public void info(String message) {
                        log.offer(new LogRecord(clock.millis(), LogLevel.INFO, null, message, null));
                    }
                }).start();
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
