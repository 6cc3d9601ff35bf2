package org.distarch.event;

import java.time.Instant;

/**
 * Everything that happens in a distarch fleet, as immutable values. Master events describe a master
 * (the main one, or later a remote host's relay); process events one process instance.
 */
public sealed interface DistarchEvent permits MasterEvent, ProcessEvent {

    Instant time();

    /** The seed system's name of this event, e.g. {@code process_started}. */
    String name();
}
