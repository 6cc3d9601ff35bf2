package org.distarch.admin.auth;

import org.springframework.security.crypto.bcrypt.BCrypt;

/**
 * BCrypt (Spring Security's implementation, cost 12: about a quarter of a second per check, on purpose) for
 * users' passwords. Spring's {@code BCrypt} class itself, not its {@code PasswordEncoder}, which needs a logging
 * library the master has no use for.
 */
public final class PasswordHashes {

    static final int COST = 12;
    /** Checked against when the user is unknown, so that a wrong name costs as long as a wrong password. */
    private static final String DUMMY = BCrypt.hashpw("distarch: no such user", BCrypt.gensalt(COST));

    private PasswordHashes() {}

    /**
     * A new hash of {@code password}, with a random salt.
     *
     * @throws IllegalArgumentException when the password is longer than BCrypt's 72 bytes
     */
    public static String hash(String password) {
        return BCrypt.hashpw(password, BCrypt.gensalt(COST));
    }

    /** Whether {@code password} matches {@code hash}; a null hash (unknown user) never matches, in the same time. */
    public static boolean matches(String password, String hash) {
        try {
            if (hash == null) {
                BCrypt.checkpw(password, DUMMY);
                return false;
            }
            return BCrypt.checkpw(password, hash);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
