package org.distarch.history;

import java.time.Instant;

/**
 * One start of a master: when, where ({@code host}, {@code pid}), with which configuration file and distarch
 * version; {@code stopped}, {@code exitCode} and {@code reason} once it ended (null while it runs, or if it
 * died without saying).
 */
public record RunRecord(long id, Instant started, Instant stopped, String host, long pid, String config,
        String version, Integer exitCode, String reason) {

    /** A run about to start, not yet written (id 0). */
    public static RunRecord starting(Instant started, String host, long pid, String config, String version) {
        return new RunRecord(0, started, null, host, pid, config, version, null, null);
    }
}
