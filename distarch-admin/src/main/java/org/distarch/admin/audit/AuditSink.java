package org.distarch.admin.audit;

/**
 * Where every action of the API is recorded: the master's log today, the history too once it is plugged in.
 * Called on the request's thread after the action's result is known; must be fast and must not throw.
 */
public interface AuditSink {

    void record(AuditEntry entry);

    /** Both sinks, in order. */
    default AuditSink and(AuditSink other) {
        return entry -> {
            record(entry);
            other.record(entry);
        };
    }
}
