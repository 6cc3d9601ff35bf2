package org.distarch.queue.consumer;

import java.time.Duration;
import java.util.Objects;

/**
 * How a consumer reaches its feeder.
 *
 * @param host           the feeder's address
 * @param port           the feeder's TCP port
 * @param socketPath     the feeder's UNIX socket, tried first when set (same machine), or null
 * @param secret         the shared secret, or null for none
 * @param name           how the feeder's logs call this consumer, e.g. {@code host#3}
 * @param prefetch       items held at once
 * @param maxFrame       largest frame accepted
 * @param networkTimeout silence of the feeder after which the connection counts as lost
 * @param globalId       this consumer's global id ({@code DA_ID}), told to the feeder so that its outcome
 *                       lines name who handled each item; 0 for none
 */
public record ConsumerOptions(String host, int port, String socketPath, byte[] secret, String name, int prefetch,
        int maxFrame, Duration networkTimeout, long globalId) {

    /** Without a global id (tests, embedding). */
    public ConsumerOptions(String host, int port, String socketPath, byte[] secret, String name, int prefetch,
            int maxFrame, Duration networkTimeout) {
        this(host, port, socketPath, secret, name, prefetch, maxFrame, networkTimeout, 0);
    }

    public ConsumerOptions {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(name, "name");
        if (prefetch < 1) {
            throw new IllegalArgumentException("prefetch must be at least 1");
        }
        if (globalId < 0) {
            throw new IllegalArgumentException("globalId must be 0 or more");
        }
        secret = secret == null || secret.length == 0 ? null : secret.clone();
    }
}
