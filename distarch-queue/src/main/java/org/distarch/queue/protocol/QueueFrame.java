package org.distarch.queue.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.Base64;

/**
 * One frame of the queue protocol (docs/queue-protocol.md). {@link FeederFrame}s go from the feeder to a
 * consumer, {@link ConsumerFrame}s back; {@link Error} goes both ways. The records check their own fields,
 * so an encoded frame is always one the other side accepts, and a decoded one is always well-formed.
 */
public sealed interface QueueFrame permits QueueFrame.FeederFrame, QueueFrame.ConsumerFrame {

    /** Largest delivery number: 2^53 - 1, so that consumers parsing JSON numbers as doubles keep it exact. */
    long MAX_DELIVERY = (1L << 53) - 1;

    /** The JSON {@code "type"} of this frame. */
    String type();

    /** Frames the feeder sends. */
    sealed interface FeederFrame extends QueueFrame permits Hello, Welcome, Item, Stop, Ping, Error {}

    /** Frames a consumer sends. */
    sealed interface ConsumerFrame extends QueueFrame permits Auth, Ready, Done, Failed, Pong, Leave, Error {}

    // ---- feeder -> consumer --------------------------------------------------------------------------

    /**
     * First frame on every connection. {@code nonce}: base64 of fresh random bytes (32 from our feeder).
     * {@code leave}: this feeder understands {@link Leave} (absent, from older feeders: false).
     */
    record Hello(int protocol, String nonce, boolean authRequired, boolean leave) implements FeederFrame {
        public Hello(int protocol, String nonce, boolean authRequired) {
            this(protocol, nonce, authRequired, false);
        }

        public Hello {
            require(nonce != null && !nonce.isEmpty(), "hello needs a nonce");
            byte[] raw;
            try {
                raw = Base64.getDecoder().decode(nonce);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("hello's nonce is not base64");
            }
            require(raw.length >= 16, "hello's nonce is shorter than 16 bytes");
        }

        @Override
        public String type() {
            return "hello";
        }
    }

    /** The consumer is accepted; {@code consumerNumber} (from 1) names it in the feeder's logs. */
    record Welcome(int consumerNumber) implements FeederFrame {
        public Welcome {
            require(consumerNumber >= 1, "welcome's consumerNumber must be at least 1");
        }

        @Override
        public String type() {
            return "welcome";
        }
    }

    /**
     * One hand-out of one item. {@code delivery} is unique per hand-out on this feeder (a redelivery gets a
     * new one); {@code itemId} stays the same across attempts; {@code attempt} counts from 1.
     * {@code payload} is any JSON value (a Java null becomes JSON null). {@code payloadText} is the payload's
     * JSON exactly as it was read, when the codec kept it (else null): the consumer's {@code received} line
     * carries it instead of writing the tree back to text. It is not part of the frame's value ({@code equals}
     * and {@code hashCode} leave it out): the same frame may come with or without it.
     */
    record Item(long delivery, String itemId, int attempt, JsonNode payload, String payloadText)
            implements FeederFrame {
        public Item {
            requireDelivery(delivery, "item");
            require(itemId != null && !itemId.isEmpty(), "item needs an itemId");
            require(attempt >= 1, "item's attempt must be at least 1");
            if (payload == null || payload.isMissingNode()) {
                payload = NullNode.getInstance();
                payloadText = null;
            }
        }

        public Item(long delivery, String itemId, int attempt, JsonNode payload) {
            this(delivery, itemId, attempt, payload, null);
        }

        /** The payload's JSON: as read when kept, else written from the tree. */
        public String payloadJson() {
            return payloadText != null ? payloadText : payload.toString();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Item i && i.delivery == delivery && i.attempt == attempt && i.itemId.equals(itemId)
                    && i.payload.equals(payload);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(delivery, itemId, attempt, payload);
        }

        @Override
        public String type() {
            return "item";
        }
    }

    /** The feeder is stopping: no more items; answer those in hand, then close. */
    record Stop(String reason) implements FeederFrame {
        public Stop {
            require(reason != null, "stop needs a reason");
        }

        @Override
        public String type() {
            return "stop";
        }
    }

    /** Keepalive; the consumer answers {@link Pong}. */
    record Ping() implements FeederFrame {
        @Override
        public String type() {
            return "ping";
        }
    }

    /** The sender refuses the peer (bad secret, version, frame...) and closes the connection next. */
    record Error(String reason) implements FeederFrame, ConsumerFrame {
        public Error {
            require(reason != null, "error needs a reason");
        }

        @Override
        public String type() {
            return "error";
        }
    }

    // ---- consumer -> feeder --------------------------------------------------------------------------

    /** Answer to {@link Hello}. {@code proof}: {@link QueueCodec#proof}, empty when there is no secret. */
    record Auth(int protocol, String consumer, String proof, long consumerId) implements ConsumerFrame {
        public Auth {
            require(consumer != null && !consumer.isEmpty(), "auth needs a consumer name");
            require(proof != null, "auth needs a proof (empty without a secret)");
            require(consumerId >= 0 && consumerId <= MAX_DELIVERY, "auth's consumerId must be between 0 and 2^53 - 1");
        }

        /** Without a global id, as consumers older than the field send it. */
        public Auth(int protocol, String consumer, String proof) {
            this(protocol, consumer, proof, 0);
        }

        @Override
        public String type() {
            return "auth";
        }
    }

    /** Grants the feeder {@code credits} more items (additive; prefetch 1 = one Ready(1) per item). */
    record Ready(int credits) implements ConsumerFrame {
        public Ready {
            require(credits >= 1, "ready's credits must be at least 1");
        }

        @Override
        public String type() {
            return "ready";
        }
    }

    /** The item of this delivery succeeded. */
    record Done(long delivery) implements ConsumerFrame {
        public Done {
            requireDelivery(delivery, "done");
        }

        @Override
        public String type() {
            return "done";
        }
    }

    /** The item of this delivery failed, with the consumer's error message. */
    record Failed(long delivery, String error) implements ConsumerFrame {
        public Failed {
            requireDelivery(delivery, "failed");
            require(error != null, "failed needs an error");
        }

        @Override
        public String type() {
            return "failed";
        }
    }

    /** Answer to {@link Ping}. */
    record Pong() implements ConsumerFrame {
        @Override
        public String type() {
            return "pong";
        }
    }

    /**
     * The consumer is stopping: the feeder hands it nothing more and answers {@link Stop}, after which nothing
     * is on its way to it. Only to a feeder whose {@link Hello} says {@code leave}.
     */
    record Leave() implements ConsumerFrame {
        @Override
        public String type() {
            return "leave";
        }
    }

    private static void require(boolean ok, String reason) {
        if (!ok) {
            throw new IllegalArgumentException(reason);
        }
    }

    private static void requireDelivery(long delivery, String frame) {
        require(delivery >= 1 && delivery <= MAX_DELIVERY,
                frame + "'s delivery must be between 1 and 2^53-1, got " + delivery);
    }
}
