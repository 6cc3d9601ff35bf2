package org.distarch.config;

import java.time.Duration;

/**
 * How a group's crashed or timed-out processes are restarted: exponential backoff with jitter,
 * reset after a healthy period, and a budget of fast failures after which the process is given up.
 */
public record RestartConfig(
        Duration initialBackoff,
        Duration maxBackoff,
        double multiplier,
        double jitter,
        Duration resetAfter,
        int maxFailures) {

    public static final RestartConfig DEFAULT = new RestartConfig(
            Duration.ofSeconds(1), Duration.ofSeconds(60), 2.0, 0.2, Duration.ofSeconds(60), 5);
}
