package org.distarch.history;

/** The history database could not be reached or refused a statement; the message names it (password masked). */
public final class HistoryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    HistoryException(String message, Throwable cause) {
        super(message, cause);
    }
}
