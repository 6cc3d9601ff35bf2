package org.distarch.queue.feeder;

/**
 * What a feeder tells the world besides its log: its own verdicts on items and its heartbeat. Called on the
 * feeder's thread.
 */
public interface FeederReport {

    /** The feeder failed an item by itself (lost after its last attempt, unsendable, stopped). */
    void itemFailed(String itemId, int attempt, String error);

    /** The loop is alive; called at least once a second. */
    void alive();

    FeederReport NONE = new FeederReport() {
        @Override
        public void itemFailed(String itemId, int attempt, String error) {}

        @Override
        public void alive() {}
    };
}
