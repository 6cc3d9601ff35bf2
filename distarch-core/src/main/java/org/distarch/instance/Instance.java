package org.distarch.instance;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import org.distarch.event.DistarchEvent;
import org.distarch.event.ProcessEvent;
import org.distarch.event.ProcessEvent.Outcome;
import org.distarch.event.ProcessIdentity;
import org.distarch.event.ExitStatus;

/**
 * The state of one process instance and the only place that changes it. Each verb checks the move
 * against {@link InstanceState}'s table, records it, and publishes exactly one event. Not thread-safe:
 * the supervisor calls it from its single supervision thread.
 */
public final class Instance {

    private final ProcessIdentity identity;
    private final Clock clock;
    private final Consumer<DistarchEvent> events;
    private InstanceState state = InstanceState.CREATED;
    private Transition last;
    private int attempts;

    public Instance(ProcessIdentity identity, Clock clock, Consumer<DistarchEvent> events) {
        this.identity = identity;
        this.clock = clock;
        this.events = events;
        Instant now = clock.instant();
        this.last = new Transition(InstanceState.CREATED, InstanceState.CREATED, now, "created");
        events.accept(new ProcessEvent.Created(now, identity));
    }

    public ProcessIdentity identity() {
        return identity;
    }

    public InstanceState state() {
        return state;
    }

    public Transition lastTransition() {
        return last;
    }

    /** How many times a launch was attempted. */
    public int attempts() {
        return attempts;
    }

    public void markStarting() {
        Instant now = change(InstanceState.STARTING, "starting");
        attempts++;
        events.accept(new ProcessEvent.Starting(now, identity, attempts));
    }

    public void markRunning(long pid) {
        Instant now = change(InstanceState.RUNNING, "running as pid " + pid);
        events.accept(new ProcessEvent.Started(now, identity, pid));
    }

    public void markStopping(String reason) {
        Instant now = change(InstanceState.STOPPING, reason);
        events.accept(new ProcessEvent.Stopping(now, identity, reason));
    }

    public void markTimedOut(Duration silence, int consecutiveTimeouts) {
        String reason = "silent for " + silence.toSeconds() + "s";
        Instant now = change(InstanceState.STOPPING, reason);
        events.accept(new ProcessEvent.TimedOut(now, identity, silence, consecutiveTimeouts));
    }

    /** The process ended (or never started: {@code exit} null) and the instance moves on to {@code outcome}. */
    public void markStopped(ExitStatus exit, Outcome outcome, String reason, Duration restartIn) {
        InstanceState next = switch (outcome) {
            case ENDED -> InstanceState.ENDED;
            case STOPPED -> InstanceState.STOPPED;
            case RESTARTING -> InstanceState.BACKOFF;
            case FAILED -> InstanceState.FAILED;
        };
        Instant now = change(next, reason);
        events.accept(new ProcessEvent.Stopped(now, identity, exit, outcome, reason,
                outcome == Outcome.RESTARTING ? restartIn : null));
    }

    private Instant change(InstanceState next, String reason) {
        if (!state.canMoveTo(next)) {
            throw new IllegalStateException(identity.display() + ": cannot move from " + state + " to " + next
                    + " (" + reason + ")");
        }
        Instant now = clock.instant();
        last = new Transition(state, next, now, reason);
        state = next;
        return now;
    }
}
