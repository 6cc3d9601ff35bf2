package org.distarch.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.distarch.launch.generation.ProcStat;

/** What Linux's {@code /proc} says about a process, for the pid file: its stat fields are {@link ProcStat}'s. */
final class ProcInfo {

    private ProcInfo() {}

    /** True while the process exists and has not ended (a zombie has ended). */
    static boolean running(long pid) {
        return ProcStat.of(pid).map(ProcStat::running).orElse(false);
    }

    /** The start token of a running process (its start time in ticks after boot), or null when gone. */
    static String startToken(long pid) {
        return ProcStat.of(pid).filter(ProcStat::running).map(s -> Long.toString(s.startTicks())).orElse(null);
    }

    /** The process's command line, arguments separated by spaces; empty when gone or unreadable. */
    static String commandLine(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').trim();
        } catch (IOException e) {
            return "";
        }
    }

    /** The effective user id of this process (the second {@code Uid:} field of {@code /proc/self/status}). */
    static int effectiveUid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.UTF_8)) {
                if (line.startsWith("Uid:")) {
                    return Integer.parseInt(line.substring(4).trim().split("\\s+")[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        return "root".equals(System.getProperty("user.name")) ? 0 : -1;
    }
}
