package org.distarch.admin;

/** The admin server cannot start as configured; the message is one line that says why and what to do. */
public final class AdminStartException extends Exception {
    private static final long serialVersionUID = 1L;

    public AdminStartException(String message) {
        super(message);
    }
}
