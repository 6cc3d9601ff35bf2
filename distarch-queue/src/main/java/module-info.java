/**
 * Queue groups. Public API: {@code org.distarch.queue} ({@code QueueCommand}, {@code Feeder},
 * {@code FeederControl}, {@code ItemContext}); the feeder, the consumer and their wire protocol are internal.
 */
module org.distarch.queue {
    requires transitive org.distarch.worker;
    requires transitive com.fasterxml.jackson.databind;

    exports org.distarch.queue;
}
