package org.distarch.event;

import java.time.Instant;

/**
 * What happens to a queue group's work items, on whatever host they run. A consumer reports
 * {@link ItemReceived} when an item reaches it; the outcome, {@link ItemHandled} or {@link ItemFailed}, is
 * reported by the feeder ({@link #process()} is the feeder), the only one who decides it, at the moment it
 * records it: events never contradict the feeder's exactly-one outcome per item, even when a consumer's
 * connection drops between its handler finishing and its answer arriving. {@code consumerId} names the
 * consumer (its global process id; 0 when none held the item), {@code item} is the item's JSON text, cut
 * at 4096 characters ({@code itemTruncated} then), or null when unknown. {@link FeederListening} tells that
 * a feeder accepts consumers (a distarch addition: the master starts the consumers on it), and
 * {@link ConsumersConnected} how many are connected to it (a distarch addition, told when the number changes).
 */
public sealed interface QueueEvent extends DistarchEvent
        permits QueueEvent.FeederListening, QueueEvent.ConsumersConnected, QueueEvent.ItemReceived, QueueEvent.ItemHandled, QueueEvent.ItemFailed {

    ProcessIdentity process();

    /** The feeder listens on {@code address}. */
    record FeederListening(Instant time, ProcessIdentity process, String address) implements QueueEvent {
        @Override
        public String name() {
            return "queue_feeder_listening";
        }
    }

    /** The feeder {@link #process()} has {@code connected} consumers connected and welcomed now. */
    record ConsumersConnected(Instant time, ProcessIdentity process, int connected) implements QueueEvent {
        @Override
        public String name() {
            return "queue_consumers_connected";
        }
    }

    /** Consumer {@link #process()} received item {@code itemId}, for the {@code attempt}-th hand-out. */
    record ItemReceived(Instant time, ProcessIdentity process, String itemId, int attempt, String item,
            boolean itemTruncated) implements QueueEvent {
        @Override
        public String name() {
            return "queue_item_received";
        }
    }

    /** The item was handled without error by consumer {@code consumerId}; told by the feeder. */
    record ItemHandled(Instant time, ProcessIdentity process, String itemId, int attempt, int consumerId,
            String item, boolean itemTruncated) implements QueueEvent {
        @Override
        public String name() {
            return "queue_item_handled";
        }
    }

    /**
     * The item failed, with {@code error} (the consumer handler's message, or why the feeder gave up on it: lost
     * with its consumer after the last attempt, too large to send, still due when it stopped); told by the feeder.
     */
    record ItemFailed(Instant time, ProcessIdentity process, String itemId, int attempt, String error,
            int consumerId, String item, boolean itemTruncated) implements QueueEvent {
        @Override
        public String name() {
            return "queue_item_failed";
        }
    }
}
