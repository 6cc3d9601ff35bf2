package org.distarch.queue.feeder;

/**
 * What a feeder tells the world besides its log: every item's one outcome, as it records it, and its
 * heartbeat. Called on the feeder's thread. The feeder is the only side that reports outcomes: it alone
 * knows whether a {@code done} arrived before the connection ended.
 */
public interface FeederReport {

    /**
     * @param consumerId the global id of the consumer that handled it (0 if it did not say)
     * @param itemJson   the item as JSON text, or null if it cannot be written
     */
    void itemHandled(String itemId, int attempt, long consumerId, String itemJson);

    /**
     * The item failed: its consumer said so, or the feeder gave up on it (lost after its last attempt,
     * unsendable, stopped).
     *
     * @param consumerId the global id of the consumer that held its last delivery (0 if none, or it did not say)
     */
    void itemFailed(String itemId, int attempt, long consumerId, String error, String itemJson);

    /** The number of consumers connected and welcomed changed to {@code connected}. */
    default void consumersConnected(int connected) {}

    /** The loop is alive; called at least once a second. */
    void alive();

    /**
     * The feeder is done: a report that keeps outcomes back for a moment (to write many together) writes them
     * now. Called once, after the last outcome.
     */
    default void flush() {}

    FeederReport NONE = new FeederReport() {
        @Override
        public void itemHandled(String itemId, int attempt, long consumerId, String itemJson) {}

        @Override
        public void itemFailed(String itemId, int attempt, long consumerId, String error, String itemJson) {}

        @Override
        public void alive() {}
    };
}
