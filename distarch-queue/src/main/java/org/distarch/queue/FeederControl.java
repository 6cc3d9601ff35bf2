package org.distarch.queue;

/** Lets an application's {@link Feeder} talk to the running feeder. Thread-safe. */
public interface FeederControl {

    /** New items may be available: ask the feeder's source now instead of after {@code empty_interval}. */
    void itemsAvailable();

    /** Consumers connected and welcomed right now. */
    int connectedConsumers();

    /** Stops the feeder as a stop request from the master would: no more hand-outs, answers still due awaited. */
    void stop();
}
