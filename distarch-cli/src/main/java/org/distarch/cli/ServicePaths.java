package org.distarch.cli;

import java.nio.file.Path;

/**
 * Where a master keeps its pid file, its log (service mode) and its control socket. The socket sits
 * beside the pid file, so that every command given the same {@code --pid} finds the same master.
 */
final class ServicePaths {

    static final String DEFAULT_PID = "var/log/distributed_architecture.pid";
    static final String DEFAULT_LOG = "var/log/distributed_architecture.log";

    private ServicePaths() {}

    /** {@code x.pid} → {@code x.sock}; any other name gets {@code .sock} appended. */
    static Path socketFor(Path pidFile) {
        String name = pidFile.getFileName().toString();
        String base = name.endsWith(".pid") ? name.substring(0, name.length() - 4) : name;
        return pidFile.resolveSibling(base + ".sock");
    }
}
