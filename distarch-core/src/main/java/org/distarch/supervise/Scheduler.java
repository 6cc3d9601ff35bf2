package org.distarch.supervise;

import java.time.Clock;
import java.time.Duration;

/**
 * The supervision thread and its timers. Everything that changes supervision state runs through
 * {@link #execute} or {@link #schedule}, on one thread, so no state needs a lock. Time is read from
 * {@link #clock()}, so that tests can run it on virtual time.
 */
public interface Scheduler extends AutoCloseable {

    Clock clock();

    void execute(Runnable task);

    Cancellable schedule(Duration delay, Runnable task);

    /**
     * What the supervision thread did since the last call (or since it started), and starts a new period. A
     * scheduler that does not measure returns {@link SupervisionStats#NONE}. Thread-safe.
     */
    default SupervisionStats takeStats() {
        return SupervisionStats.NONE;
    }

    @Override
    void close();

    /** A scheduled task that has not run yet can be cancelled. */
    interface Cancellable {
        void cancel();

        Cancellable NONE = () -> {};
    }
}
