package org.distarch.queue.consumer;

/** What a consumer tells the world about items, besides the feeder: the master's queue events. */
public interface ConsumerReport {

    void received(String itemId, int attempt);

    void handled(String itemId, int attempt);

    void failed(String itemId, int attempt, String error);

    /** Waiting for work (idle or reconnecting): a sign of life for the master. */
    void idle();

    ConsumerReport NONE = new ConsumerReport() {
        @Override
        public void received(String itemId, int attempt) {}

        @Override
        public void handled(String itemId, int attempt) {}

        @Override
        public void failed(String itemId, int attempt, String error) {}

        @Override
        public void idle() {}
    };
}
