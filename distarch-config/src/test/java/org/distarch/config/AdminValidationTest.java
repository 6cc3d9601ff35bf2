package org.distarch.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.distarch.config.Yaml.errors;
import static org.distarch.config.Yaml.load;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The {@code admin:} section: defaults, every key read, and the exact line a user reads for each mistake. */
class AdminValidationTest {

    private static final String A = "test.yaml: distributed_architecture.admin";
    private static final String HASH = "$2a$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW";

    private static String file(String admin) {
        return "distributed_architecture:\n  groups:\n    G: {command: x, local: ~}\n  admin:\n" + admin;
    }

    @Test
    void noSectionMeansLoopbackOnTheDefaultPort() {
        DistarchConfig config = load("distributed_architecture:\n  groups:\n    G: {command: x, local: ~}\n");
        assertThat(config.admin()).isEqualTo(AdminConfig.DEFAULT);
        assertThat(config.admin().bind()).isEqualTo("127.0.0.1");
        assertThat(config.admin().port()).isEqualTo(8642);
        assertThat(config.admin().history().retention()).isEqualTo(Duration.ofDays(30));
    }

    @Test
    void everyKeyIsRead() {
        AdminConfig admin = load(file("""
                    bind: 0.0.0.0
                    port: 9443
                    tls: {keystore: /etc/distarch/admin.p12, keystore_password_env: KS_PASS}
                    users:
                      alice: {password_hash: '%s', role: admin}
                      bob: {password_hash: '%s', role: viewer}
                    tokens:
                      - {name: ci, role: operator, env: CI_TOKEN}
                    history: {url: 'jdbc:postgresql://db/distarch', user: da, password_env: DB_PASS, retention: 12h,
                              max_rows: 5000}
                """.formatted(HASH, HASH))).admin();
        assertThat(admin.bind()).isEqualTo("0.0.0.0");
        assertThat(admin.port()).isEqualTo(9443);
        assertThat(admin.tls()).isEqualTo(new AdminTls("/etc/distarch/admin.p12", "KS_PASS", null, null));
        assertThat(admin.users()).containsOnlyKeys("alice", "bob");
        assertThat(admin.users().get("alice")).isEqualTo(new AdminUser(HASH, AdminRole.ADMIN));
        assertThat(admin.tokens()).containsExactly(new AdminToken("ci", AdminRole.OPERATOR, "CI_TOKEN"));
        assertThat(admin.history()).isEqualTo(new HistoryConfig("jdbc:postgresql://db/distarch", "da", "DB_PASS",
                Duration.ofHours(12), 5000));
    }

    @Test
    void pemFilesAreTheOtherTlsForm() {
        AdminTls tls = load(file("    tls: {certificate: cert.pem, private_key: key.pem}\n")).admin().tls();
        assertThat(tls.certificate()).isEqualTo("cert.pem");
        assertThat(tls.privateKey()).isEqualTo("key.pem");
        assertThat(tls.keystorePasswordEnv()).isEqualTo(AdminTls.DEFAULT_PASSWORD_ENV);
    }

    @Test
    void mistakesNameTheirKeyPath() {
        assertThat(errors(file("""
                    port: 70000
                    prot: 1
                    tls: {keystore: a.p12, certificate: c.pem}
                    users:
                      alice: {password_hash: hunter2, role: root}
                      bob: {role: viewer}
                    tokens:
                      - {name: ci, role: viewer, env: 'not a name'}
                      - {name: ci, role: viewer, env: OTHER}
                      - {name: x, role: viewer, env: X, value: s3cret}
                    history: {url: 'postgres://db', retention: 3 weeks, max_rows: 10}
                """))).containsExactlyInAnyOrder(
                A + ".port: must be between 0 and 65535 (got 70000)",
                A + ".prot: unknown key \"prot\" (did you mean \"port\"?)",
                A + ".tls: give either keystore or certificate and private_key, not both",
                A + ".users.alice.password_hash: must be a BCrypt hash such as $2a$12$... (make one with distarch "
                        + "admin:hash-password); never the password itself",
                A + ".users.alice.role: must be viewer, operator or admin (got \"root\")",
                A + ".users.bob.password_hash: is required",
                A + ".tokens[0].env: must be an environment variable name such as DISTARCH_TOKEN (got \"not a name\")",
                A + ".tokens[1].name: token name \"ci\" is already used at distributed_architecture.admin.tokens[0].name",
                A + ".tokens[2].value: unknown key \"value\" (expected one of: name, role, env)",
                A + ".history.url: must be a JDBC URL such as jdbc:postgresql://db/distarch (got \"postgres://db\")",
                A + ".history.retention: must be an age such as 30d, 12h, 90m or 3600s (got \"3 weeks\")",
                A + ".history.max_rows: must be at least 1000 (got 10)");
    }

    @Test
    void pemNeedsBothFiles() {
        assertThat(errors(file("    tls: {certificate: c.pem}\n")))
                .containsExactly(A + ".tls.private_key: is required with certificate");
        assertThat(errors(file("    tls: {}\n")))
                .containsExactly(A + ".tls: needs keystore, or certificate and private_key");
    }

    @Test
    void theReferenceShowsTheAdminKeys() {
        String reference = ConfigReference.render();
        assertThat(reference).contains("    admin:\n", "        bind:", "        port:", "            keystore:",
                "            password_hash:", "Prototype: the key is the user's name", "Prototype: one element per token",
                "            retention:", "            max_rows:");
    }
}
