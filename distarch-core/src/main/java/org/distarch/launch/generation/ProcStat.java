package org.distarch.launch.generation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What {@code /proc/PID/stat} says about a process: enough to tell a worker of a previous generation from a
 * later process that got its pid (and a live master from a reused pid in the CLI's pid file). {@code startTicks}
 * (field 22, clock ticks after boot) never changes for a process, and differs for a later process with the same
 * pid. The one reader of that file's format.
 */
public record ProcStat(long pid, char state, long parent, long group, long session, long startTicks) {

    /** Zombies ({@code Z}) and dead ({@code X}) processes have ended; they only wait to be reaped. */
    public boolean running() {
        return state != 'Z' && state != 'X';
    }

    /** Stopped by a signal (SIGSTOP, SIGTSTP) or by a tracer. */
    public boolean stopped() {
        return state == 'T' || state == 't';
    }

    /** The process as /proc tells now; empty when it is gone (or /proc cannot be read). */
    public static Optional<ProcStat> of(long pid) {
        try {
            return parse(pid, Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Every process of the machine (one scan of /proc). */
    static List<ProcStat> all() {
        List<ProcStat> all = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(Path.of("/proc"))) {
            for (Path p : dir) {
                String name = p.getFileName().toString();
                if (!name.isEmpty() && name.chars().allMatch(Character::isDigit)) {
                    of(Long.parseLong(name)).ifPresent(all::add);
                }
            }
        } catch (IOException e) {
            // no /proc: nothing to find
        }
        return all;
    }

    static Optional<ProcStat> parse(long pid, String text) {
        // "pid (comm) state ppid pgrp session ...": comm may hold spaces and parentheses, so split after the last ')'.
        int close = text.lastIndexOf(')');
        if (close < 0 || close + 2 > text.length()) {
            return Optional.empty();
        }
        String[] f = text.substring(close + 2).trim().split(" ");
        try {
            return Optional.of(new ProcStat(pid, f[0].charAt(0), Long.parseLong(f[1]), Long.parseLong(f[2]),
                    Long.parseLong(f[3]), Long.parseLong(f[19])));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
