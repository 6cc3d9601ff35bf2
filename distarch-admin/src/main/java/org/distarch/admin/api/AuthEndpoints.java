package org.distarch.admin.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.distarch.admin.audit.AuditEntry;
import org.distarch.admin.audit.AuditSink;
import org.distarch.admin.auth.Caller;
import org.distarch.admin.auth.Credentials;
import org.distarch.admin.auth.LoginLimiter;
import org.distarch.admin.auth.Sessions;
import org.distarch.config.AdminRole;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;

/**
 * Logging in and out. A user logs in with a password ({@code POST /api/v1/login}); a token (the master's access
 * token, which it writes to a file only it can read, or one of {@code admin.tokens}) logs a browser in posted the
 * same way from the login page, or through a login link ({@code GET /login?token=...}, as Jupyter's), which
 * {@code distarch admin:login-url} prints.
 * Either sets the session cookie ({@code HttpOnly}, {@code SameSite=Strict}, {@code Secure} under TLS) and
 * answers the session's CSRF token. Failed attempts count per client address ({@link LoginLimiter}).
 */
final class AuthEndpoints {

    static final String COOKIE = "distarch_session";

    /** A user's name and password, or an access token (the master's own or one of {@code admin.tokens}). */
    record Login(String user, String password, String token) {}

    private final Credentials credentials;
    private final Sessions sessions;
    private final LoginLimiter limiter;
    private final AuditSink audit;
    private final Clock clock;

    AuthEndpoints(Credentials credentials, Sessions sessions, LoginLimiter limiter, AuditSink audit, Clock clock) {
        this.credentials = credentials;
        this.sessions = sessions;
        this.limiter = limiter;
        this.audit = audit;
        this.clock = clock;
    }

    Reply login(Exchange x) throws IOException {
        refuseWhenLimited(x);
        Login body = x.body(Login.class);
        if (body.token() != null && body.user() == null && body.password() == null) {
            Caller caller = byToken(x, body.token().trim(), "wrong token, or one from an earlier run of the master");
            return loggedIn(x, caller.name(), caller.role());
        }
        if (body.user() == null || body.password() == null) {
            throw ApiException.badRequest("user and password are required (or a token alone)");
        }
        Optional<AdminRole> role = credentials.login(body.user(), body.password());
        if (role.isEmpty()) {
            failed(x, body.user());
            throw new ApiException(401, "wrong user name or password");
        }
        return loggedIn(x, body.user(), role.get());
    }

    /** {@code GET /login?token=...}: the login URL; a browser lands on the page, logged in. */
    Reply tokenLogin(Exchange x) {
        refuseWhenLimited(x);
        Caller caller = byToken(x, ProcessFilter.single(x.query(), "token"),
                "this login link's token is wrong or from an earlier run of the master");
        started(x, caller.name(), caller.role());
        x.response().setStatus(303);
        // The page's root: "/" on the master's own server, "/distarch/" where an application's server mounts it.
        String context = org.eclipse.jetty.server.Request.getContextPath(x.request());
        x.response().getHeaders().put(HttpHeader.LOCATION, context == null || context.equals("/") ? "/" : context + "/");
        x.response().getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        x.response().write(true, null, x.callback());
        return null;
    }

    Reply logout(Exchange x) throws IOException {
        x.body(ActionEndpoints.Empty.class);
        if (x.caller().session() != null) {
            sessions.end(x.caller().session());
            Response.addCookie(x.response(), cookie(x, "", Duration.ZERO));
        }
        return Reply.ok(Json.MAPPER.createObjectNode().put("ok", true));
    }

    Reply session(Exchange x) {
        ObjectNode answer = Json.MAPPER.createObjectNode();
        answer.put("user", x.caller().name());
        answer.put("role", x.caller().role().label());
        answer.put("csrfToken", x.caller().session() == null ? null : x.caller().session().csrf());
        return Reply.ok(answer);
    }

    private Reply loggedIn(Exchange x, String name, AdminRole role) {
        Sessions.Session session = started(x, name, role);
        ObjectNode answer = Json.MAPPER.createObjectNode();
        answer.put("user", name);
        answer.put("role", role.label());
        answer.put("csrfToken", session.csrf());
        return Reply.ok(answer);
    }

    private Sessions.Session started(Exchange x, String name, AdminRole role) {
        limiter.succeeded(x.address());
        Sessions.Session session = sessions.create(name, role);
        Response.addCookie(x.response(), cookie(x, session.id(), Sessions.MAX_AGE));
        audit.record(new AuditEntry(clock.instant(), name, role.label(), x.address(), "login", null, true,
                "session started"));
        return session;
    }

    private HttpCookie cookie(Exchange x, String value, Duration maxAge) {
        return HttpCookie.build(COOKIE, value).path("/").httpOnly(true).secure(x.secure())
                .sameSite(HttpCookie.SameSite.STRICT).maxAge(maxAge.toSeconds()).build();
    }

    private void refuseWhenLimited(Exchange x) {
        Optional<Duration> wait = limiter.refusal(x.address());
        if (wait.isPresent()) {
            long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
            x.response().getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(seconds));
            throw new ApiException(429, "too many failed logins from " + x.address() + "; try again in " + seconds
                    + " s");
        }
    }

    /** The caller {@code token} (may be null) stands for, or a 401 with {@code refusal}, counted as a failure. */
    private Caller byToken(Exchange x, String token, String refusal) {
        Optional<Caller> caller = token == null ? Optional.empty() : credentials.token(token);
        if (caller.isEmpty()) {
            failed(x, "(token)");
            throw new ApiException(401, refusal);
        }
        return caller.get();
    }

    private void failed(Exchange x, String who) {
        limiter.failed(x.address());
        audit.record(new AuditEntry(clock.instant(), who, null, x.address(), "login", null, false,
                "wrong credentials"));
    }
}
