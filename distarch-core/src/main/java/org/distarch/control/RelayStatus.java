package org.distarch.control;

/**
 * One remote host's relay as the master sees it: one session per group and host ({@code entry} is the
 * remote entry's index in the group's {@code remote:} list). {@code reason} says why the last session ended
 * (null while connected, or before any session failed); {@code sinceMillis} is when the relay entered its
 * state, {@code lastHeardMillis} when it last spoke (0: never), {@code failures} how many sessions in a row
 * failed, {@code processes} how many of its processes are launched now.
 */
public record RelayStatus(String group, String host, int entry, State state, String reason, long sinceMillis,
        long lastHeardMillis, int failures, int processes) {

    /** Where a relay's session stands. */
    public enum State {
        /** No session yet: nothing was launched on the host. */
        IDLE,
        /** The first session is being opened (ssh, then the relay's {@code ready}). */
        CONNECTING,
        /** The relay is up and speaks. */
        CONNECTED,
        /** The session was lost ({@code reason}); the next launch opens a new one, with backoff. */
        RECONNECTING,
        /** The host refused the SSH authentication ({@code reason}); retried with backoff like a lost session. */
        AUTH_REFUSED,
        /** The host's key is unknown or changed ({@code reason}): never retried until the operator checks it. */
        UNKNOWN_HOST_KEY,
        /** The master closed the session (it is stopping). */
        CLOSED
    }
}
