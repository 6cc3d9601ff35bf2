package org.distarch.queue.feeder;

import java.time.Duration;
import java.util.Objects;

/**
 * How a feeder listens and hands out items.
 *
 * @param bindTo         address to listen on
 * @param port           TCP port; 0 picks a free one (tests)
 * @param socketPath     UNIX socket to listen on as well, or null
 * @param secret         shared secret consumers must prove, or null for none
 * @param maxAttempts    hand-outs of one item before it fails; 1 = no redelivery
 * @param emptyInterval  how soon an empty source is asked again
 * @param maxFrame       largest frame accepted or sent
 * @param networkTimeout silence (or an unfinished handshake) after which a consumer is dropped
 * @param drainTimeout   how long a stopping feeder waits for the answers still due
 */
public record FeederOptions(String bindTo, int port, String socketPath, byte[] secret, int maxAttempts,
        Duration emptyInterval, int maxFrame, Duration networkTimeout, Duration drainTimeout) {

    public FeederOptions {
        Objects.requireNonNull(bindTo, "bindTo");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        if (maxFrame < 1024) {
            throw new IllegalArgumentException("maxFrame must be at least 1024");
        }
        secret = secret == null || secret.length == 0 ? null : secret.clone();
    }

    /** Keepalive: often enough that a consumer hears from us well within its network timeout. */
    public Duration pingInterval() {
        return Duration.ofMillis(Math.max(100, Math.min(1000, networkTimeout.toMillis() / 3)));
    }

    /** Bytes queued for a consumer that does not read, before it is dropped. */
    public long maxOutbound() {
        return 4L * maxFrame + 65_536;
    }
}
