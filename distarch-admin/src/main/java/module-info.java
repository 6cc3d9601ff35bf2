/**
 * The master's HTTP API: the fleet, its actions and a live stream of its changes over the core's control plane
 * and event codec, behind tokens, users, roles, CSRF and Origin checks (docs/http-api.md). Internal: the
 * command line starts it ({@code org.distarch.admin.AdminServer}) and talks to remote masters through its client.
 */
module org.distarch.admin {
    requires org.distarch.core;
    requires org.distarch.history;
    requires org.distarch.metrics;
    requires org.eclipse.jetty.server;
    requires spring.security.crypto;
    requires java.net.http;

    exports org.distarch.admin to org.distarch.cli;
    exports org.distarch.admin.api to org.distarch.cli; // EventStream: subscribed to the master before it runs
    exports org.distarch.admin.audit to org.distarch.cli;
    exports org.distarch.admin.auth to org.distarch.cli;
    exports org.distarch.admin.client to org.distarch.cli;
    // For an application's server that serves the page and API under a path of its own (the Spring Boot starter).
    exports org.distarch.admin.mount;

    // Jackson reads the requests and writes the answers (records).
    opens org.distarch.admin.api to com.fasterxml.jackson.databind;
    opens org.distarch.admin.audit to com.fasterxml.jackson.databind;
}
