/** The benchmark harness (bin/bench); its queue command uses only the public queue API. */
module org.distarch.bench {
    requires org.distarch.queue;

    opens org.distarch.bench to com.fasterxml.jackson.databind;
}
