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
 *   CREATED ──► STARTING ──► RUNNING ──► STOPPING ──► STOPPED
 *                  │           │  ▲          ▲           ▲
 *                  │           ▼  │          │           │
 *                  │        RECYCLING ───────┘           │   (a service whose processes all ended)
 *                  └─────────────────────────────────────┘   (nothing to run, or start-up failed)
 *   RUNNING ──► STOPPED                                       (every process ended, in the foreground)
 * </pre>
 */
enum FleetState {
    CREATED,
    STARTING,
    RUNNING,
    RECYCLING,
    STOPPING,
    STOPPED;

    private static final Map<FleetState, Set<FleetState>> ALLOWED = new EnumMap<>(FleetState.class);

    static {
        ALLOWED.put(CREATED, EnumSet.of(STARTING));
        ALLOWED.put(STARTING, EnumSet.of(RUNNING, STOPPING, STOPPED));
        ALLOWED.put(RUNNING, EnumSet.of(RECYCLING, STOPPING, STOPPED));
        ALLOWED.put(RECYCLING, EnumSet.of(RUNNING, STOPPING));
        ALLOWED.put(STOPPING, EnumSet.of(STOPPED));
        ALLOWED.put(STOPPED, EnumSet.noneOf(FleetState.class));
    }

    boolean canMoveTo(FleetState next) {
        return ALLOWED.get(this).contains(next);
    }

    /** Processes may be started (by a plan, an operator or a restart) only in these states. */
    boolean accepting() {
        return this == RUNNING || this == RECYCLING;
    }
}
