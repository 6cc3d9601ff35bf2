package org.distarch.master;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The life of a master's fleet. Only {@link FleetRunner} changes it, through the table below, the way
 * {@code InstanceState} is changed only by {@code Instance}.
 *
 * <pre>
 *   CREATED ──► STARTING ──► RUNNING ─────────────► RECYCLING ──► RUNNING   (a service: every process ended;
 *                              │                       ▲                     the next cycle a second later)
 *                              └──► RENEWING ──────────┘                    (a service's --max-running-time:
 *                                                                            every process stopped, then again)
 *   STARTING, RUNNING, RENEWING, RECYCLING ──► STOPPING ──► STOPPED         (a stop, SIGTERM, --timeout...)
 *   STARTING ──► STOPPED                                                    (nothing to run, or start-up failed)
 *   RUNNING ──► STOPPED                                                     (every process ended, in the foreground)
 * </pre>
 *
 * A stop (SIGTERM, {@code stop}, the fleet-wide {@code --timeout}) wins from every state but STOPPED: asked
 * while a service renews or recycles, the fleet stops and no new cycle begins.
 */
enum FleetState {
    CREATED,
    STARTING,
    RUNNING,
    RENEWING,
    RECYCLING,
    STOPPING,
    STOPPED;

    private static final Map<FleetState, Set<FleetState>> ALLOWED = new EnumMap<>(FleetState.class);

    static {
        ALLOWED.put(CREATED, EnumSet.of(STARTING));
        ALLOWED.put(STARTING, EnumSet.of(RUNNING, STOPPING, STOPPED));
        ALLOWED.put(RUNNING, EnumSet.of(RENEWING, RECYCLING, STOPPING, STOPPED));
        ALLOWED.put(RENEWING, EnumSet.of(RECYCLING, STOPPING));
        ALLOWED.put(RECYCLING, EnumSet.of(RUNNING, STOPPING));
        ALLOWED.put(STOPPING, EnumSet.of(STOPPED));
        ALLOWED.put(STOPPED, EnumSet.noneOf(FleetState.class));
    }

    boolean canMoveTo(FleetState next) {
        return ALLOWED.get(this).contains(next);
    }

    /**
     * Processes may be started (by a plan, an operator or a restart) only in these states: not while a service
     * renews, so that nothing starts in the middle of stopping everything.
     */
    boolean accepting() {
        return this == RUNNING || this == RECYCLING;
    }
}
