package org.distarch.admin.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Login attempts per client address: after {@link #MAX_FAILURES} failures within {@link #WINDOW}, further
 * attempts from that address are refused until the oldest failure leaves the window. Pure bookkeeping over an
 * injected clock.
 */
public final class LoginLimiter {

    public static final int MAX_FAILURES = 5;
    public static final Duration WINDOW = Duration.ofMinutes(5);
    /** Addresses remembered at most; past it, the ones with only old failures are forgotten first. */
    private static final int MAX_ADDRESSES = 10_000;

    private final Clock clock;
    private final Map<String, Deque<Long>> failures = new HashMap<>();

    public LoginLimiter(Clock clock) {
        this.clock = clock;
    }

    /** Empty when {@code address} may try; else how long it must wait. */
    public synchronized Optional<Duration> refusal(String address) {
        Deque<Long> times = failures.get(address);
        if (times == null) {
            return Optional.empty();
        }
        long now = clock.millis();
        prune(times, now);
        if (times.size() < MAX_FAILURES) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofMillis(times.peekFirst() + WINDOW.toMillis() - now));
    }

    public synchronized void failed(String address) {
        long now = clock.millis();
        if (failures.size() >= MAX_ADDRESSES && !failures.containsKey(address)) {
            failures.values().removeIf(times -> {
                prune(times, now);
                return times.isEmpty();
            });
        }
        failures.computeIfAbsent(address, a -> new ArrayDeque<>()).addLast(now);
    }

    public synchronized void succeeded(String address) {
        failures.remove(address);
    }

    private static void prune(Deque<Long> times, long now) {
        while (!times.isEmpty() && now - times.peekFirst() >= WINDOW.toMillis()) {
            times.removeFirst();
        }
    }
}
