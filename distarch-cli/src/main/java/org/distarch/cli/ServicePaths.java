package org.distarch.cli;

import java.nio.file.Path;

/**
 * Where a master keeps its pid file, its log (service mode), its control socket, its operator state file and its
 * workers journal. The socket, the state file and the journal sit beside the pid file, so that every command given
 * the same {@code --pid} finds the same master.
 */
final class ServicePaths {

    static final String DEFAULT_PID = "var/log/distributed_architecture.pid";
    static final String DEFAULT_LOG = "var/log/distributed_architecture.log";

    private ServicePaths() {}

    /** {@code x.pid} → {@code x.sock}; any other name gets {@code .sock} appended. */
    static Path socketFor(Path pidFile) {
        return sibling(pidFile, ".sock");
    }

    /**
     * {@code x.pid} → {@code x.state}: what operators asked to outlast the master ({@code suspend --persist},
     * {@code stop --persist}).
     */
    static Path stateFor(Path pidFile) {
        return sibling(pidFile, ".state");
    }

    /**
     * {@code x.pid} → {@code x.workers}: the workers this master runs, so that the next one, should this one be
     * killed, waits for them before it starts anything (an instance never runs twice).
     */
    static Path journalFor(Path pidFile) {
        return sibling(pidFile, ".workers");
    }

    private static Path sibling(Path pidFile, String suffix) {
        String name = pidFile.getFileName().toString();
        String base = name.endsWith(".pid") ? name.substring(0, name.length() - 4) : name;
        return pidFile.resolveSibling(base + suffix);
    }
}
