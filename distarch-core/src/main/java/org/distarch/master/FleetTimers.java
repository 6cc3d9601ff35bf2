package org.distarch.master;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.distarch.event.DistarchEvent;
import org.distarch.event.MasterEvent;
import org.distarch.instance.InstanceState;
import org.distarch.supervise.Scheduler;
import org.distarch.worker.protocol.LogLevel;

/**
 * The fleet-wide timers of one {@link FleetRunner}, on the supervision thread: the running event every
 * second, the silence watchdog ({@code --timeout}), the {@code max_memory} sampling and
 * {@code --max-running-time}. It exists so that the runner keeps the fleet's state and its plans while this
 * class alone decides when time itself must act; what a timer decides (a stop, a service's renewal) goes back
 * through the runner, the only class that moves the {@link FleetState}.
 */
final class FleetTimers {

    private final FleetRunner runner;
    private final MasterOptions options;
    private final Scheduler scheduler;
    private final Clock clock;
    private final Consumer<DistarchEvent> events;
    private final String host;
    private final MemoryWatch memory = new MemoryWatch();
    private final AtomicLong lastContent = new AtomicLong();
    private Scheduler.Cancellable maxRunningTimer = Scheduler.Cancellable.NONE;
    private boolean contentTimedOut;

    FleetTimers(FleetRunner runner, MasterOptions options, Scheduler scheduler, Consumer<DistarchEvent> events,
            String host) {
        this.runner = runner;
        this.options = options;
        this.scheduler = scheduler;
        this.clock = scheduler.clock();
        this.events = events;
        this.host = host;
    }

    /** The silence watchdog counts from now (the fleet starts up). */
    void contentFromNow() {
        lastContent.set(clock.millis());
    }

    /** A process said something at {@code epochMillis}; called from any thread. */
    void alive(long epochMillis) {
        lastContent.lazySet(epochMillis);
    }

    /** Whether the fleet was killed because no process said anything for {@code --timeout}. */
    boolean contentTimedOut() {
        return contentTimedOut;
    }

    /** Once the fleet runs: the running event, {@code --max-running-time}, the silence watchdog, the memory. */
    void armAll() {
        scheduleRunningEvent();
        armMaxRunningTime();
        scheduler.schedule(options.timeout(), this::checkContent);
        // Sampled even when no group sets max_memory now: a reload may add one.
        scheduler.schedule(MemoryWatch.INTERVAL, this::checkMemory);
    }

    /**
     * {@code --max-running-time}, counted from the start of the current cycle: in the foreground the fleet
     * then stops and ends; a service renews instead (every process stopped with the master's grace, then
     * started again), and the next cycle arms it again.
     */
    void armMaxRunningTime() {
        maxRunningTimer.cancel();
        if (options.maxRunningTime().isZero()) {
            return;
        }
        String reached = "--max-running-time of " + options.maxRunningTime().toSeconds() + "s reached";
        maxRunningTimer = scheduler.schedule(options.maxRunningTime(), () -> {
            if (options.service()) {
                runner.renew(reached + ": recycling the fleet");
            } else {
                runner.stopAll(reached, options.timeout());
            }
        });
    }

    private void scheduleRunningEvent() {
        scheduler.schedule(Duration.ofSeconds(1), () -> {
            if (runner.state() == FleetState.STOPPED) {
                return;
            }
            int running = (int) runner.fleet().all().stream().filter(s -> s.state() == InstanceState.RUNNING)
                    .count();
            events.accept(new MasterEvent.Running(clock.instant(), host, false, running));
            scheduleRunningEvent();
        });
    }

    private void checkContent() {
        FleetState state = runner.state();
        if (state == FleetState.STOPPING || state == FleetState.STOPPED) {
            return;
        }
        if (!runner.fleet().anyProcess() || state == FleetState.RENEWING || !anyWatchedProcess()) {
            // Nothing runs (all suspended, or between service cycles), all are stopping, or all that run are
            // quiet daemons (timeout: 0): silence is expected.
            lastContent.set(clock.millis());
        }
        long silence = clock.millis() - lastContent.get();
        long timeout = options.timeout().toMillis();
        if (silence < timeout) {
            scheduler.schedule(Duration.ofMillis(timeout - silence), this::checkContent);
            return;
        }
        contentTimedOut = true;
        runner.info(LogLevel.ERROR, "Timeout waiting for content, force kill");
        runner.stopAll("no process said anything for " + options.timeout().toSeconds() + "s", Duration.ZERO);
    }

    private boolean anyWatchedProcess() {
        return runner.fleet().all().stream().anyMatch(s -> s.plan().watched() && s.state().hasProcess());
    }

    private void checkMemory() {
        FleetState state = runner.state();
        if (state == FleetState.STOPPED) {
            return;
        }
        if (state.accepting()) {
            memory.sample(runner.fleet().all());
        }
        scheduler.schedule(MemoryWatch.INTERVAL, this::checkMemory);
    }
}
