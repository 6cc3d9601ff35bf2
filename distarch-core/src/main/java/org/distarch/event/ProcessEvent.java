package org.distarch.event;

import java.time.Duration;
import java.time.Instant;

/**
 * Lifecycle of one process instance. Each state change of an instance publishes exactly one of these
 * (see {@code InstanceState}); {@link Running} is the exception: it reports output, at most once a second.
 */
public sealed interface ProcessEvent extends DistarchEvent
        permits ProcessEvent.Created, ProcessEvent.Starting, ProcessEvent.Started, ProcessEvent.Running,
                ProcessEvent.Stopping, ProcessEvent.TimedOut, ProcessEvent.Stopped {

    ProcessIdentity process();

    /** The instance exists (state CREATED). */
    record Created(Instant time, ProcessIdentity process) implements ProcessEvent {
        @Override
        public String name() {
            return "process_created";
        }
    }

    /** The process is being launched (attempt 1 is the first start, 2 the first restart, ...). */
    record Starting(Instant time, ProcessIdentity process, int attempt) implements ProcessEvent {
        @Override
        public String name() {
            return "process_starting";
        }
    }

    /** The process runs with this pid. */
    record Started(Instant time, ProcessIdentity process, long pid) implements ProcessEvent {
        @Override
        public String name() {
            return "process_started";
        }
    }

    /** The process printed something; {@code line} is the line that triggered this event. */
    record Running(Instant time, ProcessIdentity process, String line) implements ProcessEvent {
        @Override
        public String name() {
            return "process_running";
        }
    }

    /** The process was asked to stop, for {@code reason}. */
    record Stopping(Instant time, ProcessIdentity process, String reason) implements ProcessEvent {
        @Override
        public String name() {
            return "process_stopping";
        }
    }

    /** The process said nothing for {@code silence}; it is being stopped and will be restarted or given up. */
    record TimedOut(Instant time, ProcessIdentity process, Duration silence, int consecutiveTimeouts)
            implements ProcessEvent {
        @Override
        public String name() {
            return "process_timedout";
        }
    }

    /**
     * The process is no longer running. {@code exit} is null when it never ran (launch failed, or stopped
     * while waiting to restart). {@code outcome} is the state the instance is now in; {@code restartIn} is
     * set when a restart is scheduled.
     */
    record Stopped(Instant time, ProcessIdentity process, ExitStatus exit, Outcome outcome, String reason,
            Duration restartIn) implements ProcessEvent {
        @Override
        public String name() {
            return "process_stopped";
        }
    }

    /** What became of a process that stopped. */
    enum Outcome {
        /** It ended by itself, cleanly; it is not restarted. */
        ENDED,
        /** It was stopped on request. */
        STOPPED,
        /** It crashed or timed out and will be restarted after {@code restartIn}. */
        RESTARTING,
        /** It failed too often; it is given up (not restarted). */
        FAILED
    }
}
