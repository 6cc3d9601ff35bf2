package org.distarch.remote.ssh;

import org.distarch.control.RelayStatus;

/**
 * Why an SSH session ended when it should not have, read from what ssh and the remote shell printed, with
 * what to do about it. A host key problem is final (retrying cannot fix it and must never be silent);
 * everything else is retried with backoff. {@code state} is what the relay's status shows meanwhile.
 */
record SessionFailure(String reason, RelayStatus.State state) {

    boolean fatal() {
        return state == RelayStatus.State.UNKNOWN_HOST_KEY;
    }

    static SessionFailure classify(String host, String lastDiagnostic, int exitCode) {
        String d = lastDiagnostic == null ? "" : lastDiagnostic;
        if (d.contains("Host key verification failed") || d.contains("REMOTE HOST IDENTIFICATION HAS CHANGED")
                || d.contains("No ED25519 host key is known") || d.contains("host key for") && d.contains("has changed")) {
            return new SessionFailure("the host key of " + host + " is unknown or has changed: check it, then add it "
                    + "with `ssh-keyscan " + host + " >> ~/.ssh/known_hosts` (after `ssh-keygen -R " + host
                    + "` if it changed)", RelayStatus.State.UNKNOWN_HOST_KEY);
        }
        if (d.contains("Permission denied")) {
            return new SessionFailure("authentication refused by " + host + " (" + d.trim() + ")",
                    RelayStatus.State.AUTH_REFUSED);
        }
        if (d.contains("Could not resolve hostname")) {
            return new SessionFailure("cannot resolve " + host + " (" + d.trim() + ")", RelayStatus.State.RECONNECTING);
        }
        if (d.contains("Connection timed out") || d.contains("Connection refused") || d.contains("No route to host")
                || d.contains("Network is unreachable")) {
            return new SessionFailure(host + " unreachable (" + d.trim() + ")", RelayStatus.State.RECONNECTING);
        }
        if (exitCode == 255) {
            // ssh's own failures (the remote command never ran, or the connection dropped) exit with 255.
            return new SessionFailure("connection to " + host + " failed or was lost"
                    + (d.isBlank() ? "" : " (" + d.trim() + ")"), RelayStatus.State.RECONNECTING);
        }
        if (exitCode == 127 || d.contains("command not found") || d.contains("No such file")) {
            return new SessionFailure("the relay cannot start on " + host + " (" + d.trim() + "): is distarch "
                    + "installed there at the same path?", RelayStatus.State.RECONNECTING);
        }
        return new SessionFailure("the relay on " + host + " ended with exit code " + exitCode
                + (d.isBlank() ? "" : " (" + d.trim() + ")"), RelayStatus.State.RECONNECTING);
    }
}
