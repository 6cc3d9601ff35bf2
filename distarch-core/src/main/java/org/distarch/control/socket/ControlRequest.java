package org.distarch.control.socket;

/**
 * One request on the control socket.
 *
 * @param op     status, suspend, resume, stop or reload
 * @param group  the group for suspend and resume; null for all
 * @param force  suspend: kill instead of asking
 * @param dryRun reload: only say what would change
 * @param config reload: the file to load instead of the master's own (an absolute path), or null
 */
public record ControlRequest(String op, String group, boolean force, boolean dryRun, String config) {

    public static ControlRequest of(String op) {
        return new ControlRequest(op, null, false, false, null);
    }
}
