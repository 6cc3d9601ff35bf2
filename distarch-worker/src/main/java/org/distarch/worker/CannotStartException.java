package org.distarch.worker;

/**
 * Thrown by a worker that cannot do its work where it runs, when trying again will not help: its port is
 * taken, a file it needs is missing. The runtime reports it to the master in one line ({@code @@distarch
 * cannot-start REASON}, no stack trace) and exits with 1; the master gives the process up at once with the
 * reason ({@code Given up: cannot listen on 127.0.0.1:9999: address already in use}) instead of restarting it.
 */
public class CannotStartException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param reason one line a user can act on, e.g. {@code cannot listen on 127.0.0.1:9999: address already in use} */
    public CannotStartException(String reason) {
        super(reason);
    }

    public CannotStartException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
