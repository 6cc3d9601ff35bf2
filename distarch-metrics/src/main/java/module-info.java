/**
 * The master's metrics through Micrometer, rendered in the Prometheus text format (what the HTTP API serves at
 * {@code /metrics}). Internal: exported to the distarch modules that assemble and serve the master.
 */
module org.distarch.metrics {
    requires transitive org.distarch.core;
    requires org.distarch.history;
    requires micrometer.core;
    requires micrometer.registry.prometheus;

    exports org.distarch.metrics to org.distarch.cli, org.distarch.admin;
}
