package org.distarch.launch;

/**
 * The connection to the host a worker runs on was lost: whether the worker still runs is not known here.
 * Its host stops it on its own when it loses its master (see docs/relay-protocol.md), so the supervisor
 * treats it as ended and starts it again once the host can be reached.
 */
public final class WorkerLostException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public WorkerLostException(String message) {
        super(message);
    }
}
