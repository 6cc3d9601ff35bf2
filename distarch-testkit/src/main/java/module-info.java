/** Workers for tests: a scriptable Java worker, a test queue command, and shell and Python protocol workers. */
module org.distarch.testkit {
    requires transitive org.distarch.queue;
    requires java.sql; // PostgresCluster creates its databases
    requires jdk.unsupported; // sun.misc.Signal: the scripted worker can ignore SIGTERM

    exports org.distarch.testkit;
    opens org.distarch.testkit to com.fasterxml.jackson.databind;
}
