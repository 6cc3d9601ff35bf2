package org.distarch.admin;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import org.distarch.admin.api.ApiHandler;
import org.distarch.admin.mount.AdminMount;
import org.distarch.admin.api.EventStream;
import org.distarch.admin.audit.AuditSink;
import org.distarch.admin.auth.Credentials;
import org.distarch.admin.auth.Sessions;
import org.distarch.config.AdminConfig;
import org.distarch.control.ControlPlane;
import java.util.function.Function;
import org.eclipse.jetty.server.ForwardedRequestCustomizer;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.LocalConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.handler.ResourceHandler;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The master's HTTP server (Jetty 12, core handlers, no servlets): the API under {@code /api/v1}, the token
 * login at {@code /login}, and the static files of the page from the class path. One acceptor, one selector
 * and at most {@link #MAX_THREADS} request threads; streams hold no thread.
 *
 * <p>Safe by default: a non-loopback address is refused unless TLS and users or tokens are configured; with no
 * users the server makes a random access token (role admin) that the master writes beside its pid file.
 */
public final class AdminServer implements AutoCloseable {

    static final int MAX_THREADS = 16;

    static {
        // Jetty logs its start-up at INFO through SLF4J; the master says what matters in its own words.
        if (System.getProperty("org.slf4j.simpleLogger.log.org.eclipse.jetty") == null) {
            System.setProperty("org.slf4j.simpleLogger.log.org.eclipse.jetty", "warn");
        }
    }

    private final Server server;
    private final EventStream stream;
    private final String url;
    private final String accessToken;

    private final ApiHandler api;
    private final LocalConnector local;

    private AdminServer(Server server, EventStream stream, ApiHandler api, String url, String accessToken,
            LocalConnector local) {
        this.server = server;
        this.api = api;
        this.stream = stream;
        this.url = url;
        this.accessToken = accessToken;
        this.local = local;
    }

    /**
     * Binds and starts the server.
     *
     * @param stream the live stream, subscribed to the master's events by the caller
     * @throws AdminStartException when the settings are unsafe or incomplete, or the port is taken
     */
    public static AdminServer start(AdminSettings settings, ControlPlane plane, ConfigSource config,
            EventStream stream, AuditSink audit, Clock clock) throws AdminStartException {
        return start(settings, plane, config, stream, audit, Insights.NONE, clock);
    }

    /**
     * Binds and starts the server, with the history and metrics it serves.
     *
     * @param stream the live stream, subscribed to the master's events by the caller
     * @throws AdminStartException when the settings are unsafe or incomplete, or the port is taken
     */
    public static AdminServer start(AdminSettings settings, ControlPlane plane, ConfigSource config,
            EventStream stream, AuditSink audit, Insights insights, Clock clock) throws AdminStartException {
        AdminConfig admin = settings.admin();
        boolean tls = admin.tls() != null;
        refuseUnsafe(settings.bind(), loopback(settings.bind()), tls, "admin.tls",
                "bind to 127.0.0.1 (the default) or configure them", admin);
        String accessToken = admin.users().isEmpty() ? Sessions.random() : null;
        Credentials credentials = credentials(admin, settings.env(), accessToken);
        stream.plane(plane);
        if (insights.metrics() != null) {
            stream.queues(insights.metrics());
        }
        Server server = new Server(threads());
        HttpConfiguration http = httpConfiguration();
        ServerConnector connector;
        if (tls) {
            SslContextFactory.Server ssl = TlsContexts.of(admin.tls(), settings.env());
            SecureRequestCustomizer secure = new SecureRequestCustomizer();
            secure.setSniHostCheck(false);
            http.addCustomizer(secure);
            connector = new ServerConnector(server, 1, 1, new SslConnectionFactory(ssl, "http/1.1"),
                    new HttpConnectionFactory(http));
        } else {
            connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        }
        connector.setHost(settings.bind());
        connector.setPort(settings.port());
        server.addConnector(connector);
        ApiHandler api = new ApiHandler(plane, config, credentials, stream, audit, insights, clock, tls);
        server.setHandler(handlers(server, api));
        try {
            server.start();
        } catch (Exception e) {
            stopQuietly(server);
            Throwable cause = e;
            while (cause.getCause() != null && !(cause instanceof java.net.BindException)) {
                cause = cause.getCause();
            }
            if (cause instanceof java.net.BindException || e instanceof IOException) {
                throw new AdminStartException("cannot serve the admin API on " + settings.bind() + ":"
                        + settings.port() + ": " + cause.getMessage() + " (is another master using it? set "
                        + "--admin-port or admin.port to another port, auto for any free one, or 0 for none)");
            }
            throw new AdminStartException("cannot start the admin API: " + e);
        }
        String host = settings.bind().contains(":") ? "[" + settings.bind() + "]" : settings.bind();
        String url = (tls ? "https://" : "http://") + host + ":" + connector.getLocalPort() + "/";
        return new AdminServer(server, stream, api, url, accessToken, null);
    }

    /**
     * The same server without a socket of its own, under {@code contextPath} of an embedding application's server,
     * which hands it every request through {@code AdminMount}: the same handlers, the same
     * auth, CSRF and Origin checks, and the same safety rule, applied to the host server (a host server reachable
     * beyond loopback needs TLS and configured users or tokens).
     *
     * @param contextPath  where the host server serves it ({@code /distarch})
     * @param hostLoopback whether the host server listens on loopback addresses only
     * @param hostTls      whether the host server serves HTTPS (then the session cookie is {@code Secure})
     * @throws AdminStartException when that is unsafe, or a configured token's variable is unset
     */
    public static AdminServer inProcess(String contextPath, boolean hostLoopback, boolean hostTls, AdminConfig admin,
            Function<String, String> env, ControlPlane plane, ConfigSource config, EventStream stream,
            AuditSink audit, Insights insights, Clock clock) throws AdminStartException {
        refuseUnsafe("the application's server", hostLoopback, hostTls, "TLS on that server (server.ssl)",
                "set server.address to 127.0.0.1 or configure them", admin);
        String accessToken = admin.users().isEmpty() ? Sessions.random() : null;
        Credentials credentials = credentials(admin, env, accessToken);
        stream.plane(plane);
        if (insights.metrics() != null) {
            stream.queues(insights.metrics());
        }
        Server server = new Server(threads());
        HttpConfiguration http = httpConfiguration();
        // Only the mount writes to this connector, and it sets these two from the host server's own view of the
        // client (and drops any a client sent): the address the login limit counts and the scheme Origin matches.
        ForwardedRequestCustomizer forwarded = new ForwardedRequestCustomizer();
        http.addCustomizer(forwarded);
        LocalConnector connector = new LocalConnector(server, new HttpConnectionFactory(http));
        server.addConnector(connector);
        ApiHandler api = new ApiHandler(plane, config, credentials, stream, audit, insights, clock, hostTls);
        server.setHandler(new ContextHandler(handlers(server, api), contextPath));
        try {
            server.start();
        } catch (Exception e) {
            stopQuietly(server);
            throw new AdminStartException("cannot start the admin API: " + e);
        }
        return new AdminServer(server, stream, api, contextPath + "/", accessToken, connector);
    }

    private static void refuseUnsafe(String where, boolean loopback, boolean tls, String tlsSetting, String remedy,
            AdminConfig admin) throws AdminStartException {
        boolean credentialsConfigured = !admin.users().isEmpty() || !admin.tokens().isEmpty();
        if (!loopback && (!tls || !credentialsConfigured)) {
            java.util.List<String> missing = new java.util.ArrayList<>();
            if (!tls) {
                missing.add(tlsSetting);
            }
            if (!credentialsConfigured) {
                missing.add("admin.users or admin.tokens");
            }
            throw new AdminStartException("refusing to serve the admin API on " + where + ", which is not "
                    + "a loopback address, without " + String.join(" and ", missing) + "; " + remedy);
        }
    }

    private static Credentials credentials(AdminConfig admin, Function<String, String> env, String accessToken)
            throws AdminStartException {
        try {
            return Credentials.of(admin, env, accessToken);
        } catch (IllegalArgumentException e) {
            throw new AdminStartException(e.getMessage());
        }
    }

    private static QueuedThreadPool threads() {
        QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 2, 60_000);
        threads.setName("distarch-admin");
        threads.setDaemon(true);
        return threads;
    }

    private static HttpConfiguration httpConfiguration() {
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        return http;
    }

    /** The API first, then the page's files from the class path. */
    private static Handler handlers(Server server, ApiHandler api) {
        ResourceHandler files = new ResourceHandler();
        files.setBaseResource(ResourceFactory.of(server).newClassLoaderResource("org/distarch/admin/static/"));
        files.setDirAllowed(false);
        files.setWelcomeFiles(java.util.List.of("index.html"));
        return new Handler.Sequence(api, new PageHeaders(files));
    }

    private static boolean loopback(String bind) {
        try {
            return InetAddress.getByName(bind).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /**
     * How a host server hands this in-process server ({@link #inProcess}) its requests.
     *
     * @throws IllegalStateException when this server has a socket of its own
     */
    public AdminMount mount() {
        if (local == null) {
            throw new IllegalStateException("the admin server at " + url + " has a socket of its own");
        }
        return new LocalMount(local);
    }

    /** {@code http://127.0.0.1:8642/}: where the server listens; {@code /distarch/} for one {@link #inProcess}. */
    public String url() {
        return url;
    }

    /** The master's random access token, or null when users are configured. */
    public String accessToken() {
        return accessToken;
    }

    /** The URL that logs a browser in with the access token, or null when there is none. */
    public String loginUrl() {
        return accessToken == null ? null : url + "login?token=" + accessToken;
    }

    @Override
    public void close() {
        stream.close();
        api.endStreams();
        stopQuietly(server);
        api.close();
    }

    private static void stopQuietly(Server server) {
        try {
            server.stop();
        } catch (Exception e) {
            // Stopping on the way out: nothing left to serve, nothing to tell.
        }
    }
}
