package org.distarch.master;

import java.time.Duration;

/**
 * The master's run-time options, as {@code run-master} takes them.
 *
 * @param maxRunningTime    stop everything gracefully after this long and end (a service: start it all again,
 *                          every time); zero: run until every process ended
 * @param maxProcessTimeout consecutive silence timeouts after which a process is given up
 * @param timeout           fleet-wide silence before everything is killed, and the grace of a shutdown
 * @param service           never exit by itself: start the groups again when every process has ended
 */
public record MasterOptions(Duration maxRunningTime, int maxProcessTimeout, Duration timeout, boolean service) {

    public static final MasterOptions DEFAULTS = new MasterOptions(Duration.ZERO, 3, Duration.ofSeconds(300), false);

    public MasterOptions withService(boolean service) {
        return new MasterOptions(maxRunningTime, maxProcessTimeout, timeout, service);
    }

    public MasterOptions {
        if (maxProcessTimeout < 1) {
            throw new IllegalArgumentException("--max-process-timeout must be at least 1");
        }
        if (timeout.toSeconds() < 5) {
            throw new IllegalArgumentException("--timeout must be at least 5 seconds");
        }
        if (maxRunningTime.isNegative()) {
            throw new IllegalArgumentException("--max-running-time cannot be negative");
        }
    }
}
