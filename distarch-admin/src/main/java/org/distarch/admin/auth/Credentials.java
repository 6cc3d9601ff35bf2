package org.distarch.admin.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.distarch.config.AdminConfig;
import org.distarch.config.AdminRole;
import org.distarch.config.AdminToken;
import org.distarch.config.AdminUser;

/**
 * The users and tokens the API accepts: the configured users (BCrypt hashes), the configured tokens (values read
 * from the environment once, at start), and the master's own random access token when no user is configured.
 */
public final class Credentials {

    /** The name the audit shows for the master's own random token. */
    public static final String ACCESS_TOKEN_NAME = "access-token";

    private record Token(String name, AdminRole role, byte[] value) {}

    private final Map<String, AdminUser> users;
    private final List<Token> tokens;

    private Credentials(Map<String, AdminUser> users, List<Token> tokens) {
        this.users = users;
        this.tokens = tokens;
    }

    /**
     * @param accessToken the master's random token (role admin), or null
     * @throws IllegalArgumentException when a configured token's variable is unset or too short
     */
    public static Credentials of(AdminConfig admin, Function<String, String> env, String accessToken) {
        List<Token> tokens = new ArrayList<>();
        for (AdminToken token : admin.tokens()) {
            String value = env.apply(token.env());
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException("admin token \"" + token.name() + "\": the environment variable "
                        + token.env() + " is not set");
            }
            if (value.length() < 16) {
                throw new IllegalArgumentException("admin token \"" + token.name() + "\": the value of " + token.env()
                        + " is " + value.length() + " characters long; at least 16 are needed");
            }
            tokens.add(new Token(token.name(), token.role(), value.getBytes(StandardCharsets.UTF_8)));
        }
        if (accessToken != null) {
            tokens.add(new Token(ACCESS_TOKEN_NAME, AdminRole.ADMIN, accessToken.getBytes(StandardCharsets.UTF_8)));
        }
        return new Credentials(admin.users(), List.copyOf(tokens));
    }

    /** The token's owner, or empty; every token is compared in constant time. */
    public Optional<Caller> token(String value) {
        byte[] given = value.getBytes(StandardCharsets.UTF_8);
        Token found = null;
        for (Token token : tokens) {
            if (MessageDigest.isEqual(token.value(), given)) {
                found = token;
            }
        }
        return found == null ? Optional.empty() : Optional.of(new Caller(found.name(), found.role(), null));
    }

    /** The user's role when the password is right, else empty (an unknown user takes as long). */
    public Optional<AdminRole> login(String user, String password) {
        AdminUser known = users.get(user);
        boolean ok = PasswordHashes.matches(password, known == null ? null : known.passwordHash());
        return ok ? Optional.of(known.role()) : Optional.empty();
    }

    public boolean hasUsers() {
        return !users.isEmpty();
    }
}
