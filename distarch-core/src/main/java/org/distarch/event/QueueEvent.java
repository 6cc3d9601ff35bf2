package org.distarch.event;

import java.time.Instant;

/**
 * What happens to a queue group's work items, as told by the feeder or consumer {@link #process()} that saw
 * it, on whatever host it runs. Consumers report {@link ItemReceived}, then {@link ItemHandled} or
 * {@link ItemFailed}; the feeder reports {@link ItemFailed} for an item it gave up on (lost with its consumer
 * after the last attempt, too large to send, still due when it stopped). {@link FeederListening} tells that a
 * feeder accepts consumers (a distarch addition: the master starts the consumers on it).
 */
public sealed interface QueueEvent extends DistarchEvent
        permits QueueEvent.FeederListening, QueueEvent.ItemReceived, QueueEvent.ItemHandled, QueueEvent.ItemFailed {

    ProcessIdentity process();

    /** The feeder listens on {@code address}. */
    record FeederListening(Instant time, ProcessIdentity process, String address) implements QueueEvent {
        @Override
        public String name() {
            return "queue_feeder_listening";
        }
    }

    /** A consumer received item {@code itemId}, for the {@code attempt}-th hand-out. */
    record ItemReceived(Instant time, ProcessIdentity process, String itemId, int attempt) implements QueueEvent {
        @Override
        public String name() {
            return "queue_item_received";
        }
    }

    /** A consumer handled the item without error. */
    record ItemHandled(Instant time, ProcessIdentity process, String itemId, int attempt) implements QueueEvent {
        @Override
        public String name() {
            return "queue_item_handled";
        }
    }

    /** The item failed, with {@code error}: said by the consumer whose handler failed, or by the feeder. */
    record ItemFailed(Instant time, ProcessIdentity process, String itemId, int attempt, String error)
            implements QueueEvent {
        @Override
        public String name() {
            return "queue_item_failed";
        }
    }
}
