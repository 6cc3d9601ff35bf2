package org.distarch.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.distarch.admin.api.EventStream;
import org.distarch.admin.auth.PasswordHashes;
import org.distarch.admin.mount.AdminMount;
import org.distarch.admin.mount.HttpCall;
import org.distarch.config.AdminConfig;
import org.distarch.config.AdminRole;
import org.distarch.config.AdminUser;
import org.distarch.config.HistoryConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The admin server in process, as a host server's mount hands it requests: the same routes and auth under the
 * mount's path, the host's view of the client (address, HTTPS) and not the client's claims, the token login
 * landing on the mount's root, and a refusal to mount on a host reachable beyond loopback without TLS and users.
 */
class LocalMountTest {

    private AdminServer server;
    private final List<org.distarch.admin.audit.AuditEntry> audit = new java.util.concurrent.CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        if (server != null) {
            server.close();
        }
    }

    /** One request the way a host server hands it over, and what came back. */
    static final class Call implements HttpCall {
        final String method;
        final String target;
        final List<Map.Entry<String, String>> headers = new ArrayList<>();
        final byte[] body;
        String remote = "192.0.2.7";
        boolean secure;
        int status;
        final List<Map.Entry<String, String>> answerHeaders = new ArrayList<>();
        final ByteArrayOutputStream answer = new ByteArrayOutputStream();

        Call(String method, String target, String body) {
            this.method = method;
            this.target = target;
            this.body = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            headers.add(Map.entry("Host", "app.example:8080"));
            if (body != null) {
                headers.add(Map.entry("Content-Type", "application/json"));
                headers.add(Map.entry("Content-Length", Integer.toString(this.body.length)));
            }
        }

        Call with(String name, String value) {
            headers.add(Map.entry(name, value));
            return this;
        }

        String answerHeader(String name) {
            return answerHeaders.stream().filter(h -> h.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
                    .findFirst().orElse(null);
        }

        String text() {
            return answer.toString(StandardCharsets.UTF_8);
        }

        @Override public String method() { return method; }
        @Override public String target() { return target; }
        @Override public List<Map.Entry<String, String>> headers() { return headers; }
        @Override public InputStream body() { return new ByteArrayInputStream(body); }
        @Override public String remoteAddress() { return remote; }
        @Override public boolean secure() { return secure; }
        @Override public void status(int code) { status = code; }
        @Override public void header(String name, String value) { answerHeaders.add(Map.entry(name, value)); }
        @Override public OutputStream output() { return answer; }
    }

    private AdminMount mount(Map<String, AdminUser> users, boolean loopback, boolean tls) throws Exception {
        AdminConfig admin = new AdminConfig("127.0.0.1", 0, null, users, List.of(), HistoryConfig.DEFAULT);
        server = AdminServer.inProcess("/distarch", loopback, tls, admin, n -> null, null, null,
                new EventStream(Clock.systemUTC()), audit::add, Insights.NONE, Clock.systemUTC());
        return server.mount();
    }

    private static Call serve(AdminMount mount, Call call) throws Exception {
        mount.serve(call);
        return call;
    }

    @Test
    void usersLogInUnderTheMountsPathAndTheSessionWorks() throws Exception {
        AdminMount mount = mount(Map.of("alice", new AdminUser(PasswordHashes.hash("pw"), AdminRole.OPERATOR)), true,
                false);
        Call anonymous = serve(mount, new Call("GET", "/distarch/api/v1/session", null));
        assertThat(anonymous.status).isEqualTo(401);
        assertThat(anonymous.text()).contains("log in first");
        Call wrong = serve(mount, new Call("POST", "/distarch/api/v1/login", "{\"user\":\"alice\",\"password\":\"no\"}"));
        assertThat(wrong.status).isEqualTo(401);
        Call login = serve(mount, new Call("POST", "/distarch/api/v1/login", "{\"user\":\"alice\",\"password\":\"pw\"}"));
        assertThat(login.status).as(login.text()).isEqualTo(200);
        String cookie = login.answerHeader("Set-Cookie");
        assertThat(cookie).startsWith("distarch_session=").contains("HttpOnly").doesNotContain("Secure");
        Call session = serve(mount, new Call("GET", "/distarch/api/v1/session", null)
                .with("Cookie", cookie.substring(0, cookie.indexOf(';'))));
        assertThat(session.status).isEqualTo(200);
        assertThat(session.text()).contains("\"user\":\"alice\"").contains("\"role\":\"operator\"");
        Call outside = serve(mount, new Call("GET", "/api/v1/session", null));
        assertThat(outside.status).as("nothing outside the mount's path").isEqualTo(404);
    }

    @Test
    void theHostsViewOfTheClientCountsNotTheForwardedHeadersTheClientSent() throws Exception {
        AdminMount mount = mount(Map.of("alice", new AdminUser(PasswordHashes.hash("pw"), AdminRole.OPERATOR)), true,
                true);
        Call wrong = serve(mount, new Call("POST", "/distarch/api/v1/login", "{\"user\":\"alice\",\"password\":\"x\"}")
                .with("X-Forwarded-For", "203.0.113.9").with("Forwarded", "for=203.0.113.9"));
        assertThat(wrong.status).isEqualTo(401);
        assertThat(audit).singleElement().satisfies(e -> assertThat(e.address()).isEqualTo("192.0.2.7"));

        // Over HTTPS (as the host saw it): the cookie is Secure, and Origin must be this https origin.
        Call https = new Call("POST", "/distarch/api/v1/login", "{\"user\":\"alice\",\"password\":\"pw\"}");
        https.secure = true;
        Call login = serve(mount, https);
        assertThat(login.status).isEqualTo(200);
        String cookie = login.answerHeader("Set-Cookie");
        assertThat(cookie).contains("Secure");
        String session = cookie.substring(0, cookie.indexOf(';'));
        String csrf = login.text().replaceAll(".*\"csrfToken\":\"([^\"]+)\".*", "$1");
        Call plain = new Call("POST", "/distarch/api/v1/logout", "{}").with("Cookie", session)
                .with("X-CSRF-Token", csrf).with("Origin", "http://app.example:8080");
        plain.secure = true;
        assertThat(serve(mount, plain).status).as("an http origin for an https page is another origin").isEqualTo(403);
        Call own = new Call("POST", "/distarch/api/v1/logout", "{}").with("Cookie", session)
                .with("X-CSRF-Token", csrf).with("Origin", "https://app.example:8080");
        own.secure = true;
        assertThat(serve(mount, own).status).as(own.text()).isEqualTo(200);
    }

    @Test
    void theTokenLoginLandsOnTheMountsRoot() throws Exception {
        AdminMount mount = mount(Map.of(), true, false);
        String token = server.loginUrl().substring(server.loginUrl().indexOf("token=") + 6);
        assertThat(server.loginUrl()).startsWith("/distarch/login?token=");
        Call login = serve(mount, new Call("GET", "/distarch/login?token=" + token, null));
        assertThat(login.status).isEqualTo(303);
        assertThat(login.answerHeader("Location")).isEqualTo("/distarch/");
        Call page = serve(mount, new Call("GET", "/distarch/", null));
        assertThat(page.status).isEqualTo(200);
        assertThat(page.text()).contains("<title>distarch</title>");
    }

    @Test
    void aHostReachableBeyondLoopbackNeedsTlsAndUsers() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> mount(Map.of(), false, false))
                .isInstanceOf(AdminStartException.class)
                .hasMessage("refusing to serve the admin API on the application's server, which is not a loopback "
                        + "address, without TLS on that server (server.ssl) and admin.users or admin.tokens; set "
                        + "server.address to 127.0.0.1 or configure them");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> mount(Map.of(), false, true))
                .hasMessageContaining("without admin.users or admin.tokens;");
    }
}
