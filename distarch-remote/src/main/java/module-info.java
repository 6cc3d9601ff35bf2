/** Remote hosts over SSH: the relay protocol, the relay that runs on each host, the SSH launcher. Internal. */
module org.distarch.remote {
    requires org.distarch.core;
    requires com.fasterxml.jackson.core; // the relay codec: the streaming layer only, not the object mapper

    exports org.distarch.remote.relay to org.distarch.cli;
    exports org.distarch.remote.ssh to org.distarch.cli;
}
