package org.distarch.supervise;

import java.time.Clock;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The silence timeout of one watched instance ({@code timeout}): one timer per run, not one per line. When it
 * fires and output came meanwhile, it is armed again for what is left of the timeout from the last line; only a
 * full timeout without output reports the silence. It exists apart from the {@link InstanceSupervisor} so that
 * the supervisor keeps only what a timeout does to the instance (its transition and the stop); the watchdog
 * decides nothing else. Confined to the supervision thread, checked against the scheduler's clock.
 */
final class SilenceWatchdog {

    private final Scheduler scheduler;
    private final Clock clock;
    private final Duration timeout;
    private final LongSupplier lastOutputMillis;
    private final BooleanSupplier watching;
    private final Consumer<Duration> onSilent;
    private Scheduler.Cancellable timer = Scheduler.Cancellable.NONE;

    /**
     * @param lastOutputMillis when the process last gave a sign of life (epoch millis)
     * @param watching         whether the silence still matters when the timer fires (no stop under way)
     * @param onSilent         called with the silence once it reached {@code timeout}; the timer is not armed again
     */
    SilenceWatchdog(Scheduler scheduler, Duration timeout, LongSupplier lastOutputMillis, BooleanSupplier watching,
            Consumer<Duration> onSilent) {
        this.scheduler = scheduler;
        this.clock = scheduler.clock();
        this.timeout = timeout;
        this.lastOutputMillis = lastOutputMillis;
        this.watching = watching;
        this.onSilent = onSilent;
    }

    /** Starts watching a new run: the first check comes a full timeout from now. */
    void arm() {
        arm(timeout);
    }

    /** Stops watching (the process is stopping or gone). */
    void cancel() {
        timer.cancel();
    }

    private void arm(Duration in) {
        timer = scheduler.schedule(in, this::check);
    }

    private void check() {
        if (!watching.getAsBoolean()) {
            return;
        }
        long silence = clock.millis() - lastOutputMillis.getAsLong();
        long limit = timeout.toMillis();
        if (silence < limit) {
            arm(Duration.ofMillis(limit - silence));
            return;
        }
        onSilent.accept(Duration.ofMillis(silence));
    }
}
