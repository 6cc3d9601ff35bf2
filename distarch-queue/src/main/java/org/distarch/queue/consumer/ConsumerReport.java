package org.distarch.queue.consumer;

/**
 * What a consumer tells the world about items, besides the feeder: that an item arrived, and that it is alive.
 * Never an item's outcome: only the feeder knows whether the answer arrived before the connection ended, so
 * the feeder alone reports handled and failed.
 */
public interface ConsumerReport {

    /** An item arrived; {@code itemJson} is its JSON text, for the master's listeners. */
    void received(String itemId, int attempt, String itemJson);

    /** Waiting for work (idle or reconnecting): a sign of life for the master. */
    void idle();

    /**
     * A connection ended: a report that keeps its {@link #received} lines back for a moment (to write many
     * together) writes them now.
     */
    default void flush() {}

    ConsumerReport NONE = new ConsumerReport() {
        @Override
        public void received(String itemId, int attempt, String itemJson) {}

        @Override
        public void idle() {}
    };
}
