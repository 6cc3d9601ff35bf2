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
 */
public record ConsumerOptions(String host, int port, String socketPath, byte[] secret, String name, int prefetch,
        int maxFrame, Duration networkTimeout) {

    public ConsumerOptions {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(name, "name");
        if (prefetch < 1) {
            throw new IllegalArgumentException("prefetch must be at least 1");
        }
        secret = secret == null || secret.length == 0 ? null : secret.clone();
    }
}
