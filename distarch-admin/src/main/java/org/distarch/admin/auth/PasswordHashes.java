package org.distarch.admin.auth;

import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/** BCrypt (Spring Security's, cost 12: about a quarter of a second per check, on purpose) for users' passwords. */
public final class PasswordHashes {

    private static final BCryptPasswordEncoder BCRYPT = new BCryptPasswordEncoder(12);
    /** Checked against when the user is unknown, so that a wrong name costs as long as a wrong password. */
    private static final String DUMMY = BCRYPT.encode("distarch: no such user");

    private PasswordHashes() {}

    /** A new hash of {@code password}, with a random salt. */
    public static String hash(CharSequence password) {
        return BCRYPT.encode(password);
    }

    /** Whether {@code password} matches {@code hash}; a null hash (unknown user) never matches, in the same time. */
    public static boolean matches(CharSequence password, String hash) {
        if (hash == null) {
            BCRYPT.matches(password, DUMMY);
            return false;
        }
        try {
            return BCRYPT.matches(password, hash);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
