package org.distarch.event;

/**
 * How one subscribed listener keeps up, from the master's event bus: its queue's {@code capacity}, the
 * events {@code queued} for it now, and the counts {@code delivered} and {@code dropped} (published while its
 * queue was full) since it subscribed.
 */
public record ListenerStats(String listener, int capacity, int queued, long delivered, long dropped) {}
