/** The benchmark harness (bin/bench); its queue command uses only the public queue API. */
module org.distarch.bench {
    requires java.net.http; // the HTTP API benchmark's client
    requires org.distarch.queue;
    requires org.distarch.history; // the history insert rate
    requires org.distarch.testkit; // a throwaway PostgreSQL cluster

    opens org.distarch.bench to com.fasterxml.jackson.databind;
}
