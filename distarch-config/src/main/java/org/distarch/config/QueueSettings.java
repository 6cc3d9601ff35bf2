package org.distarch.config;

import java.time.Duration;

/**
 * How a queue group's feeder and consumers talk (distarch extensions; the defaults are the seed's behaviour
 * where it has one).
 *
 * @param prefetch          items a consumer may hold at once (the seed: 1)
 * @param maxAttempts       hand-outs of one item before it is failed; 1 = no redelivery (the seed)
 * @param emptyInterval     how soon the feeder asks an empty source again
 * @param maxFrameBytes     largest frame either side accepts
 * @param secretEnv         environment variable of the master that holds the shared secret (unset or empty: none)
 * @param networkTimeout    silence after which a peer counts as gone
 */
public record QueueSettings(int prefetch, int maxAttempts, Duration emptyInterval, int maxFrameBytes,
        String secretEnv, Duration networkTimeout) {

    public static final String DEFAULT_SECRET_ENV = "DISTARCH_QUEUE_SECRET";
    public static final int DEFAULT_MAX_FRAME = 1 << 20;

    public static final QueueSettings DEFAULT = new QueueSettings(1, 1, Duration.ofMillis(500), DEFAULT_MAX_FRAME,
            DEFAULT_SECRET_ENV, Duration.ofSeconds(10));

    public boolean redeliver() {
        return maxAttempts > 1;
    }
}
