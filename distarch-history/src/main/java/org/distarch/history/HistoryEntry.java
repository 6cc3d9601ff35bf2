package org.distarch.history;

import java.time.Duration;
import java.time.Instant;

/**
 * One thing the history remembers. Each kind is an immutable record, written as it comes and read back with
 * its {@code id} (unique within its kind, growing with time) and the {@code run} (the master start) it belongs
 * to; both are 0 in a record not yet written. Times are the events' own.
 */
public sealed interface HistoryEntry {

    long id();

    long run();

    Instant time();

    HistoryKind kind();

    /** A process instance's state changed; {@code from} is null for its first state in a run. */
    record Transition(long id, long run, Instant time, int processId, String group, int groupId, String host,
            String process, String from, String to, String reason) implements HistoryEntry {
        @Override
        public HistoryKind kind() {
            return HistoryKind.TRANSITION;
        }
    }

    /**
     * A process stopped. {@code code} and {@code signal} are null when it never ran (a failed launch);
     * {@code outcome} is what became of it (ENDED, STOPPED, RESTARTING, FAILED); {@code restarts} how often it
     * had been restarted in this run before this exit; {@code restartIn} when a restart is scheduled.
     */
    record Exit(long id, long run, Instant time, int processId, String group, int groupId, String host,
            String process, Integer code, Integer signal, String outcome, String reason, int restarts,
            Duration restartIn) implements HistoryEntry {
        @Override
        public HistoryKind kind() {
            return HistoryKind.EXIT;
        }
    }

    /**
     * A control action (the audit): {@code who} asked (a user, a token's name, a listener), {@code via} what
     * (http, socket, signal, listener), {@code action} (suspend, resume, stop, reload, ...), its {@code target}
     * (a group, a process id, null for the whole fleet) and the control plane's answer.
     */
    record Action(long id, long run, Instant time, String who, String via, String action, String target, boolean ok,
            String result) implements HistoryEntry {
        @Override
        public HistoryKind kind() {
            return HistoryKind.ACTION;
        }
    }

    /** A remote host's relay session: CONNECTING, CONNECTED or DISCONNECTED (with the reason). */
    record Relay(long id, long run, Instant time, String host, String state, String reason) implements HistoryEntry {
        @Override
        public HistoryKind kind() {
            return HistoryKind.RELAY;
        }
    }

    /** A queue group's totals since the run started, written periodically while they change, and at the end. */
    record QueueTotals(long id, long run, Instant time, String group, long done, long failed, long redelivered)
            implements HistoryEntry {
        @Override
        public HistoryKind kind() {
            return HistoryKind.QUEUE_TOTALS;
        }
    }
}
