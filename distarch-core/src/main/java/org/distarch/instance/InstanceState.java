package org.distarch.instance;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The life of one process instance. Only {@link Instance} changes it, through the table below.
 *
 * <pre>
 *   CREATED ──► STARTING ──► RUNNING ──► STOPPING ──► STOPPED   (asked to stop)
 *      │           │  ▲         │  │        │
 *      │           │  │         │  └──► ENDED                   (exited cleanly by itself)
 *      │           ▼  │         ▼           ▼
 *      │         BACKOFF ◄──────┴───────────┘                   (crashed, or timed out and stopped)
 *      │           │  │
 *      └──► STOPPED◄┘  └──► FAILED                              (too many failures: given up)
 *
 *   ENDED, STOPPED, FAILED ──► STARTING                          (started again: resume, service mode)
 * </pre>
 */
public enum InstanceState {
    CREATED,
    STARTING,
    RUNNING,
    STOPPING,
    BACKOFF,
    ENDED,
    STOPPED,
    FAILED;

    private static final Map<InstanceState, Set<InstanceState>> ALLOWED = new EnumMap<>(InstanceState.class);

    static {
        ALLOWED.put(CREATED, EnumSet.of(STARTING, STOPPED));
        ALLOWED.put(STARTING, EnumSet.of(RUNNING, BACKOFF, FAILED, STOPPED));
        ALLOWED.put(RUNNING, EnumSet.of(STOPPING, ENDED, BACKOFF, FAILED, STOPPED));
        ALLOWED.put(STOPPING, EnumSet.of(STOPPED, ENDED, BACKOFF, FAILED));
        ALLOWED.put(BACKOFF, EnumSet.of(STARTING, STOPPED));
        ALLOWED.put(ENDED, EnumSet.of(STARTING));
        ALLOWED.put(STOPPED, EnumSet.of(STARTING));
        ALLOWED.put(FAILED, EnumSet.of(STARTING));
    }

    public boolean canMoveTo(InstanceState next) {
        return ALLOWED.get(this).contains(next);
    }

    /** No process runs and none will start unless someone asks. */
    public boolean isTerminal() {
        return this == ENDED || this == STOPPED || this == FAILED;
    }

    /** A process exists (or is being created) for this instance. */
    public boolean hasProcess() {
        return this == STARTING || this == RUNNING || this == STOPPING;
    }
}
