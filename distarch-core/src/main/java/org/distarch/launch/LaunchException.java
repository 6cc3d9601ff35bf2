package org.distarch.launch;

/** A worker could not be started (missing program, bad directory, refused by the system, host unreachable). */
public final class LaunchException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Whether trying again can help, which decides what the restart policy does with the failure. */
    public enum Kind {
        /** The program or its directory is wrong: a failure of the worker, counted against {@code max_failures}. */
        FAILED,
        /** Its host cannot be reached now: not the worker's fault, retried with backoff for as long as it lasts. */
        UNREACHABLE,
        /** Retrying cannot help and must not be silent (e.g. an unknown or changed SSH host key). */
        PERMANENT
    }

    private final Kind kind;

    public LaunchException(String message, Throwable cause) {
        this(Kind.FAILED, message, cause);
    }

    public LaunchException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
