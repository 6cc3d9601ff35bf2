package org.distarch.event;

/** Lifecycle of a master. {@code remote} is true for a remote host's relay, false for the main master. */
public sealed interface MasterEvent extends DistarchEvent
        permits MasterEvent.Starting, MasterEvent.Started, MasterEvent.Running, MasterEvent.Stopped {

    String host();

    boolean remote();

    /** The master has read its configuration and is about to start processes. */
    record Starting(java.time.Instant time, String host, boolean remote) implements MasterEvent {
        @Override
        public String name() {
            return "master_starting";
        }
    }

    /** Every process has been asked to start. */
    record Started(java.time.Instant time, String host, boolean remote, int processCount) implements MasterEvent {
        @Override
        public String name() {
            return "master_started";
        }
    }

    /** Sent about once a second while the master runs. */
    record Running(java.time.Instant time, String host, boolean remote, int runningProcesses) implements MasterEvent {
        @Override
        public String name() {
            return "master_running";
        }
    }

    /** The master is done; {@code exitCode} is what its process exits with. */
    record Stopped(java.time.Instant time, String host, boolean remote, int exitCode, String reason)
            implements MasterEvent {
        @Override
        public String name() {
            return "master_stopped";
        }
    }
}
