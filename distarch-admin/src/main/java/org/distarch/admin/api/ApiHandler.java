package org.distarch.admin.api;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.distarch.admin.ConfigSource;
import org.distarch.admin.Insights;
import org.distarch.admin.audit.AuditSink;
import org.distarch.admin.auth.Caller;
import org.distarch.admin.auth.Credentials;
import org.distarch.admin.auth.LoginLimiter;
import org.distarch.admin.auth.Sessions;
import org.distarch.config.AdminRole;
import org.distarch.control.ControlPlane;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * Every API request passes here, in this order: the route (404, or 405 for a known path), the {@code Origin}
 * of a state-changing request (403 when foreign), the credentials (401), the CSRF token of a browser session's
 * state-changing request (403), the role (403), then the endpoint; its errors become {@code {"error": "..."}}
 * with their status. Paths outside {@code /api/}, {@code /login} and {@code /metrics} go on to the static files.
 */
public final class ApiHandler extends Handler.Abstract {

    static final String CSRF_HEADER = "X-CSRF-Token";

    private final List<Route> routes;
    private final Credentials credentials;
    private final Sessions sessions;
    private final EventStream stream;
    private final boolean secure;

    private final HistoryEndpoints history;
    private final LogEndpoints logs;

    public ApiHandler(ControlPlane plane, ConfigSource config, Credentials credentials, EventStream stream,
            AuditSink audit, Insights insights, Clock clock, boolean secure) {
        this.credentials = credentials;
        this.sessions = new Sessions(clock);
        this.stream = stream;
        this.secure = secure;
        FleetEndpoints fleet = new FleetEndpoints(plane, clock);
        ActionEndpoints actions = new ActionEndpoints(plane, config, audit, clock, insights.reopenLogs());
        AuthEndpoints auth = new AuthEndpoints(credentials, sessions, new LoginLimiter(clock), audit, clock);
        this.history = new HistoryEndpoints(insights.history(), insights.currentRun(), clock);
        MetricsEndpoints metrics = new MetricsEndpoints(insights.metrics(), plane, clock);
        this.logs = new LogEndpoints(insights.logs());
        this.routes = List.of(
                new Route("GET", "/api/v1/openapi.json", null, x -> Reply.ok(OpenApi.document())),
                new Route("POST", "/api/v1/login", null, auth::login),
                new Route("GET", "/login", null, auth::tokenLogin),
                new Route("POST", "/api/v1/logout", AdminRole.VIEWER, auth::logout),
                new Route("GET", "/api/v1/session", AdminRole.VIEWER, auth::session),
                new Route("GET", "/api/v1/status", AdminRole.VIEWER, fleet::status),
                new Route("GET", "/api/v1/master", AdminRole.VIEWER, fleet::master),
                new Route("GET", "/api/v1/groups", AdminRole.VIEWER, fleet::groups),
                new Route("GET", "/api/v1/hosts", AdminRole.VIEWER, fleet::hosts),
                new Route("GET", "/api/v1/processes", AdminRole.VIEWER, fleet::processes),
                new Route("GET", "/api/v1/processes/{id}", AdminRole.VIEWER, fleet::process),
                new Route("GET", "/api/v1/processes/{id}/history", AdminRole.VIEWER, history::process),
                new Route("GET", "/api/v1/processes/{id}/logs", AdminRole.VIEWER, logs::process),
                new Route("GET", "/api/v1/logs", AdminRole.VIEWER, logs::logs),
                new Route("GET", "/api/v1/logs/stream", AdminRole.VIEWER, logs::stream),
                new Route("POST", "/api/v1/logs/reopen", AdminRole.OPERATOR, actions::reopenLogs),
                new Route("GET", "/api/v1/history", AdminRole.VIEWER, history::history),
                new Route("GET", "/api/v1/runs", AdminRole.VIEWER, history::runs),
                new Route("GET", "/api/v1/runs/{run}", AdminRole.VIEWER, history::run),
                new Route("GET", "/api/v1/queues", AdminRole.VIEWER, metrics::queues),
                new Route("GET", "/metrics", AdminRole.VIEWER, metrics::scrape),
                new Route("GET", "/api/v1/events", AdminRole.VIEWER, this::events),
                new Route("POST", "/api/v1/actions/suspend", AdminRole.OPERATOR, actions::suspend),
                new Route("POST", "/api/v1/actions/resume", AdminRole.OPERATOR, actions::resume),
                new Route("POST", "/api/v1/actions/start", AdminRole.OPERATOR, actions::start),
                new Route("POST", "/api/v1/actions/stop", AdminRole.OPERATOR, actions::stopProcesses),
                new Route("POST", "/api/v1/actions/restart", AdminRole.OPERATOR, actions::restart),
                new Route("POST", "/api/v1/actions/rolling-restart", AdminRole.OPERATOR, actions::rollingRestart),
                new Route("POST", "/api/v1/actions/signal", AdminRole.OPERATOR, actions::signal),
                new Route("POST", "/api/v1/master/stop", AdminRole.ADMIN, actions::stop),
                new Route("POST", "/api/v1/reload/plan", AdminRole.ADMIN, actions::plan),
                new Route("POST", "/api/v1/reload/apply", AdminRole.ADMIN, actions::apply));
    }

    /** Ends the open log streams (before the server stops, which would wait for them). */
    public void endStreams() {
        logs.close();
    }

    /** Closes what the reads opened (the history store, the log streams). */
    public void close() {
        logs.close();
        history.close();
    }

    /** Method and path of every route, for the OpenAPI check. */
    List<String> routeKeys() {
        return routes.stream().map(r -> r.method() + " " + r.path()).toList();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        if (!path.startsWith("/api/") && !path.equals("/login") && !path.equals("/metrics")) {
            return false;
        }
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.getHeaders().put("Referrer-Policy", "no-referrer"); // the login link carries a token
        try {
            Reply reply = dispatch(request, response, callback, path);
            if (reply != null) {
                send(response, callback, reply.status(), Json.bytes(reply.body()));
            }
        } catch (ApiException e) {
            if (!request.getMethod().equals("GET") && !response.isCommitted()) {
                // A refusal may leave the body unread, and Jetty then closes the connection after the answer: say
                // so, or a client that pools connections sends its next request into a closed one.
                response.getHeaders().put(HttpHeader.CONNECTION, "close");
            }
            error(response, callback, e.status(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error(response, callback, 503, "interrupted");
        } catch (Exception e) {
            error(response, callback, 500, "internal error: " + e);
        }
        return true;
    }

    private Reply dispatch(Request request, Response response, Callback callback, String path) throws Exception {
        Route route = null;
        Map<String, String> params = null;
        List<String> allowed = new ArrayList<>();
        for (Route r : routes) {
            Map<String, String> p = r.match(path);
            if (p != null) {
                allowed.add(r.method());
                if (r.method().equals(request.getMethod())) {
                    route = r;
                    params = p;
                }
            }
        }
        if (route == null) {
            if (allowed.isEmpty()) {
                throw ApiException.notFound("no such endpoint: " + path + " (see /api/v1/openapi.json)");
            }
            response.getHeaders().put(HttpHeader.ALLOW, String.join(", ", allowed));
            throw new ApiException(405, request.getMethod() + " is not allowed on " + path + "; use "
                    + String.join(" or ", allowed));
        }
        if (route.changesState()) {
            checkOrigin(request);
        }
        Caller caller = null;
        if (route.role() != null) {
            caller = authenticate(request, response);
            if (route.changesState() && caller.session() != null
                    && !caller.session().csrf().equals(request.getHeaders().get(CSRF_HEADER))) {
                throw new ApiException(403, "missing or wrong " + CSRF_HEADER + " header (GET /api/v1/session "
                        + "answers it)");
            }
            if (!caller.role().allows(route.role())) {
                throw new ApiException(403, caller.name() + " is " + article(caller.role()) + "; "
                        + route.method() + " " + route.path() + " needs the " + route.role().label() + " role");
            }
        }
        Exchange exchange = new Exchange(request, response, callback, caller, params, query(request),
                Request.getRemoteAddr(request), secure);
        return route.endpoint().handle(exchange);
    }

    /** A browser sends {@code Origin} with every POST; one that is not this server's own is another site's. */
    private static void checkOrigin(Request request) {
        String origin = request.getHeaders().get(HttpHeader.ORIGIN);
        if (origin == null) {
            return;
        }
        String host = request.getHeaders().get(HttpHeader.HOST);
        String own = (request.isSecure() ? "https://" : "http://") + host;
        if (host == null || !origin.toLowerCase(Locale.ROOT).equals(own.toLowerCase(Locale.ROOT))) {
            throw new ApiException(403, "cross-origin request refused: Origin " + origin + " is not " + own);
        }
    }

    private Caller authenticate(Request request, Response response) {
        String authorization = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (authorization != null) {
            if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return credentials.token(authorization.substring(7).trim())
                        .orElseThrow(() -> unauthorized(response, "the token is not valid"));
            }
            throw unauthorized(response, "only Bearer tokens are accepted in the Authorization header");
        }
        for (HttpCookie cookie : Request.getCookies(request)) {
            if (cookie.getName().equals(AuthEndpoints.COOKIE)) {
                Sessions.Session session = sessions.find(cookie.getValue());
                if (session != null) {
                    return new Caller(session.name(), session.role(), session);
                }
            }
        }
        throw unauthorized(response, "log in first, or send a token (Authorization: Bearer ...)");
    }

    private static ApiException unauthorized(Response response, String message) {
        response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"distarch\"");
        return new ApiException(401, message);
    }

    private Reply events(Exchange x) {
        for (String name : x.query().keySet()) {
            if (!ProcessFilter.PARAMETERS.contains(name)) {
                throw ApiException.badRequest("unknown parameter \"" + name + "\"; known: "
                        + String.join(", ", ProcessFilter.PARAMETERS));
            }
        }
        ProcessFilter filter = ProcessFilter.of(x.query());
        SseClient[] holder = new SseClient[1];
        SseClient client = new SseClient(x.response(), x.callback(), filter, () -> stream.closed(holder[0]));
        holder[0] = client;
        if (!stream.open(client, x.request().getHeaders().get("Last-Event-ID"))) {
            throw new ApiException(503, "too many open event streams (" + EventStream.MAX_CLIENTS + ")");
        }
        return null;
    }

    private static Map<String, List<String>> query(Request request) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        Fields fields = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
        for (Fields.Field field : fields) {
            query.put(field.getName(), field.getValues());
        }
        return query;
    }

    private static String article(AdminRole role) {
        return (role == AdminRole.OPERATOR || role == AdminRole.ADMIN ? "an " : "a ") + role.label();
    }

    /** The body in one last write: Jetty gives it its Content-Length. */
    private static void send(Response response, Callback callback, int status, byte[] json) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json;charset=utf-8");
        response.write(true, ByteBuffer.wrap(json), callback);
    }

    private static void error(Response response, Callback callback, int status, String message) {
        send(response, callback, status, Json.bytes(Map.of("error", message)));
    }
}
