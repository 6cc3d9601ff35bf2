package org.distarch.config;

import java.nio.file.Path;

/**
 * What the master does with a group's output (the group's {@code logs:} section, a distarch extension).
 * Levels are the lower-case names {@code trace}, {@code debug}, {@code info}, {@code warn}, {@code error}
 * ({@code warning}, the seed's PSR-3 spelling, is read as {@code warn}).
 *
 * @param stdoutLevel  level of a plain stdout line ({@code info}, the seed's: "anything echoed is info")
 * @param stderrLevel  level of a stderr line ({@code warn} by default); worker-protocol lines keep their own
 * @param bufferLines  lines of each process kept in the master for {@code distarch logs} (0: none)
 * @param bufferBytes  memory those lines may hold per process, at most
 * @param dir          directory of the per-process log files, or null for none
 * @param maxBytes     size at which a per-process file is rotated
 * @param backups      rotated files kept ({@code file.1} … {@code file.N}); 0: the file is started afresh
 */
public record LogsConfig(String stdoutLevel, String stderrLevel, int bufferLines, long bufferBytes, Path dir,
        long maxBytes, int backups) {

    public static final LogsConfig DEFAULT = new LogsConfig("info", "warn", 1000, 256 * 1024, null,
            10L * 1024 * 1024, 5);

    /** The levels a level key accepts, as written. */
    static final java.util.List<String> LEVELS = java.util.List.of("trace", "debug", "info", "warn", "error");
}
