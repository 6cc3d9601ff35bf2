package org.distarch.queue.feeder;

/**
 * How many clients may be in the handshake at once. A stranger costs the feeder a socket and a small buffer
 * until it authenticates or times out; capping their number caps what strangers can cost, whatever they send.
 * Pure: the caller passes the count and the time.
 */
final class HandshakeAdmission {

    static final int MAX_UNAUTHENTICATED = 64;
    private static final long WARN_INTERVAL_MILLIS = 60_000;

    private final int max;
    private long refusedSinceWarning;
    private long lastWarning = Long.MIN_VALUE;

    HandshakeAdmission(int max) {
        this.max = max;
    }

    /** True when one more client may start its handshake, with {@code inHandshake} already in it. */
    boolean admit(int inHandshake) {
        if (inHandshake < max) {
            return true;
        }
        refusedSinceWarning++;
        return false;
    }

    /**
     * The warning to log now about the clients refused, at most once a minute (a flood would otherwise flood
     * the log too); null when there is nothing to say yet.
     */
    String warningDue(long now) {
        if (refusedSinceWarning == 0 || (lastWarning != Long.MIN_VALUE && now - lastWarning < WARN_INTERVAL_MILLIS)) {
            return null;
        }
        String warning = refusedSinceWarning + " connection(s) closed at once: " + max
                + " clients were already in the handshake (is someone flooding the feeder's port?)";
        refusedSinceWarning = 0;
        lastWarning = now;
        return warning;
    }
}
