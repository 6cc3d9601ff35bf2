/**
 * The command line and the application entry: {@code org.distarch.cli.Distarch} (an application with its own
 * worker commands and listeners) and {@code Main} (the plain {@code distarch} program).
 */
module org.distarch.cli {
    requires transitive org.distarch.core;
    requires transitive org.distarch.queue;
    requires org.distarch.remote;
    requires transitive org.distarch.admin; // EmbeddedMaster.adminMount(): org.distarch.admin.mount
    requires org.distarch.history;
    requires org.distarch.metrics;
    requires micrometer.core; // EmbeddedMaster.Builder.meterRegistry (an automatic module: not transitive)
    requires info.picocli;
    requires org.jline.terminal; // distarch top: raw keys and the terminal's size
    requires java.management; // the JVM options a service is started again with
    requires jdk.unsupported; // sun.misc.Signal: SIGTERM, SIGINT, SIGHUP and SIGUSR1

    exports org.distarch.cli;

    // picocli fills the commands' annotated fields by reflection.
    opens org.distarch.cli to info.picocli;
}
