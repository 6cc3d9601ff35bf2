package org.distarch.queue.feeder;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock for timeouts: {@link System#nanoTime()} under a {@link Clock} face, so that the feeder's timers are
 * written against an injectable clock but, in production, never jump with the wall clock (NTP, suspend).
 * Its instants count from an arbitrary origin: only differences mean anything.
 */
final class MonotonicClock extends Clock {

    static final MonotonicClock INSTANCE = new MonotonicClock();

    private MonotonicClock() {}

    @Override
    public long millis() {
        return System.nanoTime() / 1_000_000L;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
