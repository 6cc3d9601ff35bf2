package org.distarch.launch.generation;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.distarch.worker.protocol.WorkerEnv;

/**
 * What every worker of one generation carries in its environment ({@code DA_GENERATION=ID}), so that the next
 * generation finds it even when the journal never listed it. The journal's line is written only once the spawn
 * returns a pid; a master or relay killed in between leaves a worker nobody recorded, and if the kill also came
 * before {@code setpriv} set the parent-death signal, that worker never hears of it and would run beside its
 * replacement. The id is random (pids are reused); {@code startTicks} is the generation's own start, so only
 * processes started after it are read.
 *
 * @param id         16 hex digits, new for every generation
 * @param startTicks when the master or relay that owns the generation started (from /proc/PID/stat)
 */
public record GenerationMark(String id, long startTicks) {

    private static final SecureRandom RANDOM = new SecureRandom();
    /** Far more than distarch's own variables and a normal environment; a process with more is not ours to find. */
    private static final int MAX_ENVIRON_BYTES = 1 << 20;

    public GenerationMark {
        if (!id.matches("[0-9a-f]{16}")) {
            throw new IllegalArgumentException("not a generation id: " + id);
        }
    }

    /** A new mark for the generation this process begins. */
    public static GenerationMark create() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        long self = ProcessHandle.current().pid();
        return new GenerationMark(HexFormat.of().formatHex(bytes),
                ProcStat.of(self).map(ProcStat::startTicks).orElse(0L));
    }

    /** Whether the process {@code pid} carries this mark; false when it is gone or its environment is not ours to read. */
    boolean marks(long pid) {
        byte[] environ;
        try (InputStream in = Files.newInputStream(Path.of("/proc", Long.toString(pid), "environ"))) {
            environ = in.readNBytes(MAX_ENVIRON_BYTES);
        } catch (IOException | SecurityException e) {
            return false; // gone, or another user's (only root, which may read every one, drops privileges)
        }
        return contains(environ, WorkerEnv.GENERATION + "=" + id);
    }

    /** Whether {@code environ} ({@code NAME=VALUE\0…}, the last NUL maybe missing) holds {@code variable} whole. */
    static boolean contains(byte[] environ, String variable) {
        // ISO-8859-1 maps each byte to one char, so the search is the bytes' own; NULs around both sides make the
        // first and the last variable alike, and the match a whole variable.
        return ("\0" + new String(environ, StandardCharsets.ISO_8859_1) + "\0").contains("\0" + variable + "\0");
    }
}
