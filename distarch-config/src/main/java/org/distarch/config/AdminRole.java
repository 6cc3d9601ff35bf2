package org.distarch.config;

import java.util.Locale;

/** What a user or token of the admin API may do; each role may do what the ones before it may. */
public enum AdminRole {
    /** Reads: the fleet, the live stream, the history. */
    VIEWER,
    /** Actions on processes and groups: suspend, resume, restart, signal. */
    OPERATOR,
    /** Stopping the master and reloading its configuration. */
    ADMIN;

    public boolean allows(AdminRole needed) {
        return compareTo(needed) >= 0;
    }

    /** The role as the file writes it: {@code viewer}, {@code operator}, {@code admin}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
