/**
 * The Java worker API ({@code org.distarch.worker}: {@code WorkerCommand}, {@code WorkerContext},
 * {@code WorkerRunner}). The line protocol's codec and environment names are internal to distarch.
 */
module org.distarch.worker {
    requires transitive org.distarch.config;
    requires transitive org.slf4j;
    requires com.fasterxml.jackson.databind;
    requires jdk.unsupported; // sun.misc.Signal: SIGTERM becomes a stop request

    exports org.distarch.worker;
    exports org.distarch.worker.protocol to org.distarch.core, org.distarch.remote, org.distarch.queue,
            org.distarch.cli, org.distarch.testkit, org.distarch.admin;
}
