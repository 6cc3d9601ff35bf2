package org.distarch.admin.audit;

import java.time.Instant;

/**
 * One action asked through the API, with its result.
 *
 * @param who     the user or token name ({@code access-token} for the master's own random token)
 * @param role    the caller's role
 * @param address the caller's IP address
 * @param action  what was asked ({@code suspend}, {@code reload.apply}, {@code login}, ...)
 * @param target  what it was asked of ({@code group "A"}, {@code all groups}, ...), or null
 * @param ok      whether it was done
 * @param message the control plane's answer, or why it was refused
 */
public record AuditEntry(Instant time, String who, String role, String address, String action, String target,
        boolean ok, String message) {

    /** One line for the master's log. */
    public String describe() {
        return "Admin API: " + who + (role == null ? "" : " (" + role + ")") + " from " + address + ": " + action
                + (target == null ? "" : " " + target) + ": " + (ok ? "done" : "refused") + ": " + message;
    }
}
