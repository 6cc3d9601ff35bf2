package org.distarch.control.socket;

import com.fasterxml.jackson.annotation.JsonCreator;
import org.distarch.control.Target;

/**
 * One request on the control socket (docs/control-protocol.md).
 *
 * @param op               status, suspend, resume, stop (the master), reload, start, stop-processes, restart,
 *                         rolling-restart, signal, logs or reopen-logs
 * @param group            the group for suspend, resume and rolling-restart; null for all
 * @param force            suspend, stop-processes: kill instead of asking
 * @param dryRun           reload: only say what would change
 * @param config           reload: the file to load instead of the master's own (an absolute path), or null
 * @param target           start, stop-processes, restart, signal: which processes (all fields null: all)
 * @param persist          suspend, stop-processes: keep it so across a master restart
 * @param signal           signal: the signal's name, e.g. USR1
 * @param batch            rolling-restart: processes at once, or null for the group's rolling_batch
 * @param healthyForMillis rolling-restart: how long each new process must run healthy, or null for the group's
 * @param logs             logs: what to show and whether to follow; null for every other operation
 */
public record ControlRequest(String op, String group, boolean force, boolean dryRun, String config, Target target,
        boolean persist, String signal, Integer batch, Long healthyForMillis, LogsRequest logs) {

    @JsonCreator
    public ControlRequest {}

    /** A request without logs arguments (every operation but logs). */
    public ControlRequest(String op, String group, boolean force, boolean dryRun, String config, Target target,
            boolean persist, String signal, Integer batch, Long healthyForMillis) {
        this(op, group, force, dryRun, config, target, persist, signal, batch, healthyForMillis, null);
    }

    public ControlRequest(String op, String group, boolean force, boolean dryRun, String config) {
        this(op, group, force, dryRun, config, null, false, null, null, null, null);
    }

    public static ControlRequest of(String op) {
        return new ControlRequest(op, null, false, false, null);
    }

    public static ControlRequest logs(LogsRequest logs) {
        return new ControlRequest("logs", null, false, false, null, null, false, null, null, null, logs);
    }

    /** An operation on chosen processes: start, stop-processes, restart or signal. */
    public static ControlRequest on(String op, Target target, boolean force, boolean persist, String signal) {
        return new ControlRequest(op, null, force, false, null, target, persist, signal, null, null, null);
    }
}
