package org.distarch.worker;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.distarch.worker.protocol.WorkerLineCodec;
import org.slf4j.Logger;

/** The {@link WorkerContext} of a running worker: identity, stop state, sleep and pings. */
final class RuntimeContext implements WorkerContext {

    private static final long PING_THROTTLE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final WorkerIdentity identity;
    private final Map<String, String> environment;
    private final Logger logger;
    private final PrintStream out;
    private final LineSyncOutput output;
    private final LongSupplier nanoClock;
    private final long pingIntervalNanos;
    private final CountDownLatch stopAsked = new CountDownLatch(1);
    private volatile boolean masterGone;
    /** Last ping attempt: a ping lost to a broken pipe must not make sleep() spin. */
    private volatile long lastPingNanos;

    RuntimeContext(WorkerIdentity identity, Map<String, String> environment, Logger logger, PrintStream out,
                   LineSyncOutput output, LongSupplier nanoClock) {
        this.identity = identity;
        this.environment = Map.copyOf(environment);
        this.logger = logger;
        this.out = out;
        this.output = output;
        this.nanoClock = nanoClock;
        this.pingIntervalNanos = identity.pingInterval().toNanos();
        this.lastPingNanos = output.lastOutputNanos();
    }

    /** Asks the worker to stop; returns true the first time. */
    boolean requestStop() {
        boolean first = stopAsked.getCount() > 0;
        stopAsked.countDown();
        return first;
    }

    void markMasterGone() {
        masterGone = true;
        requestStop();
    }

    @Override
    public int id() {
        return identity.id();
    }

    @Override
    public int groupId() {
        return identity.groupId();
    }

    @Override
    public int groupCount() {
        return identity.groupCount();
    }

    @Override
    public String groupName() {
        return identity.groupName();
    }

    @Override
    public String host() {
        return identity.host();
    }

    @Override
    public Map<String, Object> params() {
        return identity.params();
    }

    @Override
    public GroupView group() {
        return identity.group();
    }

    @Override
    public void stopSelf() {
        requestStop();
    }

    @Override
    public boolean awaitStop(Duration timeout) throws InterruptedException {
        return stopAsked.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public Map<String, String> environment() {
        return environment;
    }

    @Override
    public Duration timeout() {
        return identity.timeout();
    }

    @Override
    public Logger logger() {
        return logger;
    }

    @Override
    public PrintStream out() {
        return out;
    }

    @Override
    public boolean sleep(Duration duration) {
        if (mustStop()) {
            return false;
        }
        long total = duration == null || duration.isNegative() ? 0 : saturatedNanos(duration);
        long deadline = nanoClock.getAsLong() + total;
        try {
            while (true) {
                long now = nanoClock.getAsLong();
                long remaining = deadline - now;
                if (remaining <= 0) {
                    return !mustStop();
                }
                long nextPing = quietSince() + pingIntervalNanos;
                if (now - nextPing >= 0) {
                    writePing(now);
                    nextPing = now + pingIntervalNanos;
                }
                long wait = Math.min(remaining, Math.max(1, nextPing - now));
                if (stopAsked.await(wait, TimeUnit.NANOSECONDS)) {
                    return false;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public boolean mustStop() {
        return stopAsked.getCount() == 0;
    }

    @Override
    public void ping() {
        long now = nanoClock.getAsLong();
        if (now - quietSince() >= PING_THROTTLE_NANOS) {
            writePing(now);
        }
    }

    private void writePing(long now) {
        lastPingNanos = now;
        output.writeLine(WorkerLineCodec.ping());
    }

    /** The later of the last output and the last ping attempt. */
    private long quietSince() {
        long lastOutput = output.lastOutputNanos();
        long lastPing = lastPingNanos;
        return lastPing - lastOutput > 0 ? lastPing : lastOutput;
    }

    @Override
    public boolean masterGone() {
        return masterGone;
    }

    private static long saturatedNanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE / 4;
        }
    }
}
