package org.distarch.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the {@code admin} section into an {@link AdminConfig}. The rules on one key live in the {@link Schema};
 * the ones here span keys (one TLS form, unique token names and variables) or need a parse (roles, hashes, ages).
 * Whether a non-loopback bind is safe is decided at start, where {@code --admin-bind} is known too.
 */
final class AdminValidator {

    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** A BCrypt hash: $2a$, $2b$ or $2y$, a two-digit cost, then 53 characters of salt and hash. */
    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$\\d\\d\\$[./A-Za-z0-9]{53}");
    private static final Pattern AGE = Pattern.compile("(\\d{1,9})([smhd])");

    private final Problems problems;

    AdminValidator(Problems problems) {
        this.problems = problems;
    }

    /** The settings of {@code admin} ({@link AdminConfig#DEFAULT} when absent); errors go to the problems. */
    AdminConfig read(MapReader admin) {
        if (admin == null) {
            return AdminConfig.DEFAULT;
        }
        String bind = admin.string("bind");
        int port = admin.integer("port");
        AdminTls tls = tls(admin.map("tls"));
        Map<String, AdminUser> users = new LinkedHashMap<>();
        for (MapReader.Named entry : admin.named("users")) {
            if (entry.name().isBlank()) {
                problems.add(entry.path(), "the user name must not be blank");
            } else if (entry.reader() != null) {
                users.put(entry.name(), user(entry.reader()));
            }
        }
        List<AdminToken> tokens = new ArrayList<>();
        Map<String, KeyPath> tokenNames = new HashMap<>();
        for (MapReader entry : admin.list("tokens")) {
            AdminToken token = token(entry);
            if (token.name() != null) {
                KeyPath first = tokenNames.putIfAbsent(token.name(), entry.path("name"));
                if (first != null) {
                    problems.add(entry.path("name"), "token name \"" + token.name() + "\" is already used at " + first);
                }
            }
            tokens.add(token);
        }
        HistoryConfig history = history(admin.map("history"));
        admin.done();
        return new AdminConfig(bind, port, tls, users, tokens, history);
    }

    private AdminTls tls(MapReader tls) {
        if (tls == null) {
            return null;
        }
        String keystore = tls.string("keystore");
        String passwordEnv = envName(tls, "keystore_password_env");
        String certificate = tls.string("certificate");
        String privateKey = tls.string("private_key");
        boolean pem = certificate != null || privateKey != null;
        if (keystore != null && pem) {
            problems.add(tls.path(), "give either keystore or certificate and private_key, not both");
        } else if (keystore == null && !pem) {
            problems.add(tls.path(), "needs keystore, or certificate and private_key");
        } else if (pem && (certificate == null || privateKey == null)) {
            problems.add(tls.path(certificate == null ? "certificate" : "private_key"),
                    "is required with " + (certificate == null ? "private_key" : "certificate"));
        }
        tls.done();
        return new AdminTls(keystore, passwordEnv, certificate, privateKey);
    }

    private AdminUser user(MapReader user) {
        String hash = user.string("password_hash");
        if (hash != null && !BCRYPT.matcher(hash).matches()) {
            problems.add(user.path("password_hash"), "must be a BCrypt hash such as $2a$12$... (make one with "
                    + "distarch admin:hash-password); never the password itself");
        }
        AdminRole role = role(user);
        user.done();
        return new AdminUser(hash, role);
    }

    private AdminToken token(MapReader token) {
        String name = token.string("name");
        AdminRole role = role(token);
        String env = envName(token, "env");
        token.done();
        return new AdminToken(name, role, env);
    }

    private AdminRole role(MapReader reader) {
        String text = reader.string("role");
        if (text == null) {
            return AdminRole.VIEWER;
        }
        try {
            return AdminRole.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            problems.add(reader.path("role"), "must be viewer, operator or admin (got \"" + text + "\")");
            return AdminRole.VIEWER;
        }
    }

    private String envName(MapReader reader, String key) {
        String name = reader.string(key);
        if (name != null && !ENV_NAME.matcher(name).matches()) {
            problems.add(reader.path(key), "must be an environment variable name such as DISTARCH_TOKEN (got \""
                    + name + "\")");
        }
        return name;
    }

    private HistoryConfig history(MapReader history) {
        if (history == null) {
            return HistoryConfig.DEFAULT;
        }
        String url = history.string("url");
        if (url != null && !url.startsWith("jdbc:")) {
            problems.add(history.path("url"), "must be a JDBC URL such as jdbc:postgresql://db/distarch (got \""
                    + url + "\")");
        }
        String user = history.string("user");
        String passwordEnv = envName(history, "password_env");
        Duration retention = age(history);
        long maxRows = history.integer("max_rows");
        history.done();
        return new HistoryConfig(url, user, passwordEnv, retention, maxRows);
    }

    private Duration age(MapReader history) {
        String text = history.string("retention");
        Matcher m = AGE.matcher(text.trim());
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            problems.add(history.path("retention"), "must be an age such as 30d, 12h, 90m or 3600s (got \"" + text
                    + "\")");
            return HistoryConfig.DEFAULT_RETENTION;
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }
}
