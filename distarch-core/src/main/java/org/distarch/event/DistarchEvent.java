package org.distarch.event;

import java.time.Instant;

/**
 * Everything that happens in a distarch fleet, as immutable values. Master events describe a master
 * (the main one, or a remote host's relay); process events one process instance; queue events the
 * items of a queue group.
 */
public sealed interface DistarchEvent permits MasterEvent, ProcessEvent, QueueEvent {

    Instant time();

    /** The seed system's name of this event, e.g. {@code process_started}. */
    String name();
}
