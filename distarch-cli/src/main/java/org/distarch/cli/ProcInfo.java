package org.distarch.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** What Linux's {@code /proc} says about a process: enough to tell a live master from a reused pid. */
final class ProcInfo {

    /**
     * Fields of {@code /proc/PID/stat}. {@code startTicks} (field 22, clock ticks after boot) never
     * changes for a process and differs for a later process with the same pid.
     */
    record Stat(long pid, char state, long parent, long session, long startTicks) {
        /** Zombies ({@code Z}) and dead ({@code X}) processes have ended; they only wait to be reaped. */
        boolean running() {
            return state != 'Z' && state != 'X';
        }
    }

    private ProcInfo() {}

    static Optional<Stat> stat(long pid) {
        String text;
        try {
            text = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return Optional.empty();
        }
        // "pid (comm) state ppid pgrp session ...": comm may hold spaces and parentheses, so split after the last ')'.
        int close = text.lastIndexOf(')');
        if (close < 0) {
            return Optional.empty();
        }
        String[] f = text.substring(close + 2).trim().split(" ");
        try {
            return Optional.of(new Stat(pid, f[0].charAt(0), Long.parseLong(f[1]), Long.parseLong(f[3]),
                    Long.parseLong(f[19])));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** True while the process exists and has not ended (a zombie has ended). */
    static boolean running(long pid) {
        return stat(pid).map(Stat::running).orElse(false);
    }

    /** The start token of a running process (its start time in ticks after boot), or null when gone. */
    static String startToken(long pid) {
        return stat(pid).filter(Stat::running).map(s -> Long.toString(s.startTicks())).orElse(null);
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
