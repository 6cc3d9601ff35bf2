package org.distarch.restart;

import java.time.Duration;

/**
 * A process ended when it should not have.
 *
 * @param kind        what went wrong
 * @param healthyFor  how long it ran well before that: for a crash, from start to exit; for a timeout,
 *                    from start to its last output (a silent process was never healthy)
 * @param description for people, e.g. "exit code 3"
 */
public record Failure(Kind kind, Duration healthyFor, String description) {

    public enum Kind {
        /** Exited non-zero or died by a signal. */
        CRASH,
        /** Could not be launched at all. */
        LAUNCH_FAILED,
        /** Said nothing for longer than its timeout. */
        TIMEOUT,
        /**
         * Its host could not be reached, or the connection to it was lost: not the worker's fault, so it never
         * uses up {@code max_failures}; retried with a growing backoff for as long as the outage lasts.
         */
        LOST,
        /** Cannot succeed however often it is tried (an unknown or changed host key): given up at once. */
        UNRECOVERABLE
    }
}
