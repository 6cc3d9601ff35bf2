package org.distarch.control.socket;

/**
 * One request on the control socket.
 *
 * @param op     status, suspend, resume, stop, reload, logs or reopen-logs
 * @param group  the group for suspend and resume; null for all
 * @param force  suspend: kill instead of asking
 * @param dryRun reload: only say what would change
 * @param config reload: the file to load instead of the master's own (an absolute path), or null
 * @param logs   logs: what to show and whether to follow; null for every other operation
 */
public record ControlRequest(String op, String group, boolean force, boolean dryRun, String config, LogsRequest logs) {

    public ControlRequest(String op, String group, boolean force, boolean dryRun, String config) {
        this(op, group, force, dryRun, config, null);
    }

    public static ControlRequest of(String op) {
        return new ControlRequest(op, null, false, false, null);
    }

    public static ControlRequest logs(LogsRequest logs) {
        return new ControlRequest("logs", null, false, false, null, logs);
    }
}
