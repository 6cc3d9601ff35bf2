package org.distarch.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import org.distarch.admin.AdminServer;
import org.distarch.admin.AdminSettings;
import org.distarch.admin.AdminStartException;
import org.distarch.admin.ConfigSource;
import org.distarch.admin.Insights;
import org.distarch.admin.api.EventStream;
import org.distarch.admin.audit.AuditSink;
import org.distarch.config.DistarchConfig;
import org.distarch.control.ControlPlane;
import org.distarch.history.HistoryWriter;
import org.distarch.master.Master;
import org.distarch.output.LogRecord;
import org.distarch.output.LogSink;
import org.distarch.worker.protocol.LogLevel;

/**
 * A master's HTTP API for the length of its run: the server, its live stream on the master's events, the audit
 * in the master's log and its history, the history and metrics it reads, and the URL and token files beside the
 * pid file.
 */
final class AdminRun implements AutoCloseable {

    private final AdminServer server;
    private final AdminFiles files;

    private AdminRun(AdminServer server, AdminFiles files) {
        this.server = server;
        this.files = files;
    }

    /** Starts the API for {@code master} (call before {@code master.run()}); null when it is off. */
    static AdminRun start(AdminOptions.Resolved api, DistarchConfig config, Master master, ConfigSource source,
            Path pidFile, LogSink log, Insights insights, HistoryWriter history, Clock clock)
            throws AdminStartException {
        if (!api.enabled()) {
            return null;
        }
        EventStream stream = new EventStream(clock);
        master.subscribe(stream);
        AuditSink inLog = entry -> log.write(new LogRecord(entry.time().toEpochMilli(),
                entry.ok() ? LogLevel.INFO : LogLevel.WARN, null, entry.describe(), null));
        // The history's "via" says the transport and the caller's address; its "who" is the user or token.
        AuditSink audit = inLog.and(entry -> history.audit(entry.who(), "http " + entry.address(), entry.action(),
                entry.target(), entry.ok(), entry.message(), entry.time()));
        AdminServer server = AdminServer.start(new AdminSettings(api.bind(), api.port(), config.admin(), System::getenv),
                plane(master), source, stream, audit, insights.withLogs(master.logs()), clock);
        AdminFiles files = null;
        try {
            files = AdminFiles.write(pidFile, server.url(), server.accessToken());
        } catch (IOException e) {
            log.write(new LogRecord(clock.millis(), LogLevel.WARN, null, "Cannot write the admin API's files beside "
                    + pidFile + ": " + e + (server.accessToken() == null ? ""
                    : "; without its token file, only admin.users or admin.tokens can log in"), null));
        }
        log.write(new LogRecord(clock.millis(), LogLevel.INFO, null, "Admin page and HTTP API at " + server.url()
                + (files == null || files.token() == null ? "" : "; " + loginHint(files.token(), pidFile)), null));
        return new AdminRun(server, files);
    }

    /**
     * Where the access token is, never the token: the log is read, copied and kept by more people than the
     * master's user, who alone can read the file.
     */
    static String loginHint(Path tokenFile, Path pidFile) {
        String pid = pidFile.equals(Path.of(ServicePaths.DEFAULT_PID).toAbsolutePath()) ? "" : " --pid " + pidFile;
        return "its access token is in " + tokenFile + " (this user's only); `distarch admin:login-url" + pid
                + "` prints a link that logs a browser in";
    }

    @Override
    public void close() {
        server.close();
        if (files != null) {
            files.close();
        }
    }

    /** The master's control plane, with a stop logged as asked through the API. */
    static ControlPlane plane(Master master) {
        return master.controlPlane("stop requested through the HTTP API");
    }
}
