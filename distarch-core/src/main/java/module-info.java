/**
 * The supervision core. Public API: the events and their listener ({@code org.distarch.event}) and what an
 * operator or a listener can ask of a running master ({@code org.distarch.control}). Everything else (the
 * fleet runner, supervisors, launchers, log output, restart policy) is internal, exported only to the
 * distarch modules built on it.
 */
module org.distarch.core {
    requires transitive org.distarch.config;
    requires transitive org.distarch.worker;
    requires transitive com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.datatype.jsr310;
    requires com.sun.jna; // the local process layer's system calls (launch.local)
    requires java.management; // the supervision thread's CPU time, for its stall probe

    exports org.distarch.event;
    exports org.distarch.control;

    exports org.distarch.control.socket to org.distarch.cli;
    exports org.distarch.event.bus to org.distarch.remote, org.distarch.cli;
    exports org.distarch.instance to org.distarch.remote, org.distarch.cli;
    exports org.distarch.launch to org.distarch.remote, org.distarch.cli;
    exports org.distarch.launch.local to org.distarch.remote, org.distarch.cli;
    exports org.distarch.launch.generation to org.distarch.remote, org.distarch.cli;
    exports org.distarch.logs to org.distarch.remote, org.distarch.cli, org.distarch.admin;
    exports org.distarch.master to org.distarch.remote, org.distarch.cli;
    exports org.distarch.output to org.distarch.remote, org.distarch.cli, org.distarch.metrics;
    exports org.distarch.restart to org.distarch.remote, org.distarch.cli;
    exports org.distarch.supervise to org.distarch.remote, org.distarch.cli;

    // Jackson reads and writes these records (events as JSON, the control socket's requests and answers).
    opens org.distarch.event to com.fasterxml.jackson.databind;
    opens org.distarch.control to com.fasterxml.jackson.databind;
    opens org.distarch.control.socket to com.fasterxml.jackson.databind;
    opens org.distarch.logs to com.fasterxml.jackson.databind;
    opens org.distarch.master to com.fasterxml.jackson.databind; // the operator state file
}
