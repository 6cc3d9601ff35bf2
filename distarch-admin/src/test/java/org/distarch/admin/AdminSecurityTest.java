package org.distarch.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.distarch.admin.auth.PasswordHashes;
import org.distarch.config.AdminConfig;
import org.distarch.config.AdminRole;
import org.distarch.config.AdminTls;
import org.distarch.config.AdminToken;
import org.distarch.config.AdminUser;
import org.distarch.config.HistoryConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Safe by default: what is refused at start, users and their sessions, the login limit, TLS. */
class AdminSecurityTest {

    @TempDir
    Path dir;

    private static AdminConfig admin(AdminTls tls, Map<String, AdminUser> users, List<AdminToken> tokens) {
        return new AdminConfig("127.0.0.1", 0, tls, users, tokens, HistoryConfig.DEFAULT);
    }

    @Test
    void aNonLoopbackAddressWithoutTlsAndUsersIsRefusedAtStart() {
        assertThatThrownBy(() -> new TestFleet(dir, admin(null, Map.of(), List.of()), Map.of(), "0.0.0.0"))
                .isInstanceOf(AdminStartException.class)
                .hasMessage("refusing to serve the admin API on 0.0.0.0, which is not a loopback address, without "
                        + "admin.tls and admin.users or admin.tokens; bind to 127.0.0.1 (the default) or configure them");
        AdminTls tls = new AdminTls("x.p12", "P", null, null);
        assertThatThrownBy(() -> new TestFleet(dir, admin(tls, Map.of(), List.of()), Map.of(), "0.0.0.0"))
                .hasMessageContaining("without admin.users or admin.tokens;");
        Map<String, AdminUser> users = Map.of("alice", new AdminUser(PasswordHashes.hash("pw"), AdminRole.ADMIN));
        assertThatThrownBy(() -> new TestFleet(dir, admin(null, users, List.of()), Map.of(), "0.0.0.0"))
                .hasMessageContaining("without admin.tls;");
    }

    @Test
    void aTokenWhoseVariableIsUnsetIsRefusedAtStart() {
        List<AdminToken> tokens = List.of(new AdminToken("ci", AdminRole.OPERATOR, "CI_TOKEN"));
        assertThatThrownBy(() -> new TestFleet(dir, admin(null, Map.of(), tokens), Map.of()))
                .hasMessage("admin token \"ci\": the environment variable CI_TOKEN is not set");
        assertThatThrownBy(() -> new TestFleet(dir, admin(null, Map.of(), tokens), Map.of("CI_TOKEN", "short")))
                .hasMessage("admin token \"ci\": the value of CI_TOKEN is 5 characters long; at least 16 are needed");
    }

    @Test
    void aTakenPortIsOneClearLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            AdminConfig config = admin(null, Map.of(), List.of());
            assertThatThrownBy(() -> AdminServer.start(new AdminSettings("127.0.0.1", taken.getLocalPort(), config,
                    n -> null), null, null, new org.distarch.admin.api.EventStream(java.time.Clock.systemUTC()),
                    e -> { }, java.time.Clock.systemUTC()))
                    .isInstanceOf(AdminStartException.class)
                    .hasMessageStartingWith("cannot serve the admin API on 127.0.0.1:" + taken.getLocalPort() + ": ")
                    .hasMessageContaining("set --admin-port or admin.port to another port, auto for any free one, or 0")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        }
    }

    @Test
    void usersLogInWithTheirPasswordAndFailuresAreLimitedPerAddress() throws Exception {
        Map<String, AdminUser> users = Map.of("alice", new AdminUser(PasswordHashes.hash("correct horse"),
                AdminRole.OPERATOR), "bob", new AdminUser(PasswordHashes.hash("battery"), AdminRole.VIEWER));
        try (TestFleet fleet = new TestFleet(dir, admin(null, users, List.of()), Map.of())) {
            assertThat(fleet.server.accessToken()).as("users configured: no random token").isNull();
            Http http = new Http(fleet.url());
            Http.Answer bob = http.post("/api/v1/login", "{\"user\":\"bob\",\"password\":\"battery\"}");
            assertThat(bob.status()).as(bob.body()).isEqualTo(200);
            assertThat(bob.json().path("role").asText()).isEqualTo("viewer");
            String cookie = bob.header("Set-Cookie").get(0);
            Http asBob = http.with("Cookie", cookie.substring(0, cookie.indexOf(';')))
                    .with("X-CSRF-Token", bob.json().path("csrfToken").asText());
            assertThat(asBob.post("/api/v1/actions/suspend", "{}").status()).as("a viewer's action").isEqualTo(403);

            assertThat(http.post("/api/v1/login", "{\"user\":\"alice\"}").error()).isEqualTo("user and password are required (or a token alone)");
            for (int i = 0; i < 5; i++) {
                Http.Answer wrong = http.post("/api/v1/login", "{\"user\":\"alice\",\"password\":\"guess" + i + "\"}");
                assertThat(wrong.status()).isEqualTo(401);
                assertThat(wrong.error()).isEqualTo("wrong user name or password");
            }
            Http.Answer limited = http.post("/api/v1/login", "{\"user\":\"alice\",\"password\":\"correct horse\"}");
            assertThat(limited.status()).as("even the right password, once limited").isEqualTo(429);
            assertThat(limited.error()).startsWith("too many failed logins from 127.0.0.1; try again in ");
            assertThat(limited.header("Retry-After")).hasSize(1);
            assertThat(fleet.audit.stream().filter(a -> a.action().equals("login") && !a.ok()).count()).isEqualTo(5);
        }
    }

    @Test
    void tlsWithASelfSignedCertificateFromAKeyStore() throws Exception {
        Path store = selfSigned();
        AdminConfig config = admin(new AdminTls(store.toString(), "KS_PASS", null, null), Map.of(), List.of());
        try (TestFleet fleet = new TestFleet(dir, config, Map.of("KS_PASS", "changeit"))) {
            assertThat(fleet.url()).startsWith("https://127.0.0.1:");
            checkTls(fleet, store);
        }
    }

    @Test
    void tlsWithPemFiles() throws Exception {
        Path store = selfSigned();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, "changeit".toCharArray());
        }
        Base64.Encoder b64 = Base64.getMimeEncoder(64, "\n".getBytes());
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Files.writeString(cert, "-----BEGIN CERTIFICATE-----\n" + b64.encodeToString(ks.getCertificate("da").getEncoded())
                + "\n-----END CERTIFICATE-----\n");
        Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n" + b64.encodeToString(
                ks.getKey("da", "changeit".toCharArray()).getEncoded()) + "\n-----END PRIVATE KEY-----\n");
        AdminConfig config = admin(new AdminTls(null, AdminTls.DEFAULT_PASSWORD_ENV, cert.toString(), key.toString()),
                Map.of(), List.of());
        try (TestFleet fleet = new TestFleet(dir, config, Map.of())) {
            checkTls(fleet, store);
        }
    }

    private void checkTls(TestFleet fleet, Path store) throws Exception {
        Http https = new Http(fleet.url(), HttpClient.newBuilder().sslContext(trusting(store))
                .connectTimeout(Duration.ofSeconds(10)).build());
        assertThat(https.token(fleet.server.accessToken()).get("/api/v1/processes").json().path("total").asInt())
                .isEqualTo(5);
        String cookie = https.get("/login?token=" + fleet.server.accessToken()).header("Set-Cookie").get(0);
        assertThat(cookie).contains("Secure").contains("HttpOnly").contains("SameSite=Strict");
        Http untrusting = new Http(fleet.url());
        assertThatThrownBy(() -> untrusting.get("/api/v1/processes")).isInstanceOf(javax.net.ssl.SSLException.class);
        Http plain = new Http(fleet.url().replace("https://", "http://"));
        assertThatThrownBy(() -> plain.get("/api/v1/processes")).as("plain HTTP on the TLS port gets no answer")
                .isInstanceOf(java.io.IOException.class);
    }

    /** A PKCS12 key store with a self-signed certificate for 127.0.0.1, made by the JDK's keytool. */
    private Path selfSigned() throws Exception {
        Path store = dir.resolve("admin.p12");
        Files.deleteIfExists(store);
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "da", "-keyalg", "RSA", "-keysize", "2048",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "changeit")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return store;
    }

    private static SSLContext trusting(Path store) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, "changeit".toCharArray());
        }
        Certificate cert = ks.getCertificate("da");
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("da", cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return ssl;
    }
}
