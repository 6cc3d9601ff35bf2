package org.distarch.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.function.Supplier;
import org.distarch.admin.AdminServer;
import org.distarch.admin.AdminSettings;
import org.distarch.admin.AdminStartException;
import org.distarch.admin.ConfigSource;
import org.distarch.admin.Insights;
import org.distarch.admin.api.EventStream;
import org.distarch.admin.audit.AuditSink;
import org.distarch.config.DistarchConfig;
import org.distarch.master.Master;
import org.distarch.metrics.FleetMetrics;
import org.distarch.output.LogRecord;
import org.distarch.output.LogSink;
import org.distarch.worker.protocol.LogLevel;

/**
 * The admin page and HTTP API of an {@link EmbeddedMaster}: on the master's own server (as {@code run-master}'s,
 * at the configuration's {@code admin.bind} and {@code admin.port}), or in process for the application's server
 * to mount under a path of its own. Either way the same server, live stream, audit (in the master's log) and
 * metrics; no history (an embedded master keeps none), so the history endpoints answer 503.
 */
final class EmbeddedAdmin {

    /** Where the admin server is: its own socket, or mounted by the host server under {@code path}. */
    sealed interface Placement permits OwnServer, Mounted {}

    /** The master's own server; {@code port} 0 for any free one. */
    record OwnServer(String bind, int port) implements Placement {}

    /** In process, under {@code path} of a host server that listens on loopback only or not, with TLS or not. */
    record Mounted(String path, boolean hostLoopback, boolean hostTls) implements Placement {}

    private EmbeddedAdmin() {}

    /** The server, and the file of its access token (null with users configured, or when it could not be written). */
    record Started(AdminServer server, AdminFiles files) implements AutoCloseable {
        @Override
        public void close() {
            server.close();
            if (files != null) {
                files.close();
            }
        }
    }

    /** Starts it for {@code master} (before it runs); the caller closes it after the fleet. */
    static Started start(Placement placement, DistarchConfig config, Master master,
            Supplier<DistarchConfig> reloadSource, FleetMetrics metrics, LogSink log, Clock clock)
            throws AdminStartException {
        EventStream stream = new EventStream(clock);
        master.subscribe(stream);
        AuditSink audit = entry -> log.write(new LogRecord(entry.time().toEpochMilli(),
                entry.ok() ? LogLevel.INFO : LogLevel.WARN, null, entry.describe(), null));
        ConfigSource source = () -> {
            DistarchConfig read = reloadSource != null ? reloadSource.get() : config;
            // Read by the application's framework, not from a text of ours: the fingerprint is of what it read.
            return new ConfigSource.Loaded(read, ConfigOption.sha256(read.toString().getBytes(StandardCharsets.UTF_8)));
        };
        Insights insights = new Insights(null, () -> 0, metrics).withLogs(master.logs());
        AdminServer server;
        String where;
        if (placement instanceof Mounted mounted) {
            server = AdminServer.inProcess(mounted.path(), mounted.hostLoopback(), mounted.hostTls(), config.admin(),
                    System::getenv, AdminRun.plane(master), source, stream, audit, insights, clock);
            where = mounted.path() + "/ of this application's server";
        } else {
            OwnServer own = (OwnServer) placement;
            server = AdminServer.start(new AdminSettings(own.bind(), own.port(), config.admin(), System::getenv),
                    AdminRun.plane(master), source, stream, audit, insights, clock);
            where = server.url();
        }
        AdminFiles files = null;
        if (server.accessToken() != null) {
            try {
                files = AdminFiles.writePrivate(server.accessToken());
            } catch (IOException e) {
                log.write(new LogRecord(clock.millis(), LogLevel.WARN, null, "Cannot write the admin API's access "
                        + "token to a file: " + e + "; only admin.users or admin.tokens can log in", null));
            }
        }
        log.write(new LogRecord(clock.millis(), LogLevel.INFO, null, "Admin page and HTTP API at " + where
                + (files == null ? "" : "; its access token is in " + files.token() + " (this user's only; open "
                + server.url() + "login?token=TOKEN, or paste it on the login page)"), null));
        return new Started(server, files);
    }
}
