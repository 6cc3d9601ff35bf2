package org.distarch.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A process's whole command line, from {@code /proc/PID/cmdline}. {@code ProcessHandle.Info.commandLine()} cuts it
 * at 4 KiB, and a test worker's {@code java -cp ...} line is longer than that (its class path holds every module's
 * jars), so what follows the class path (the worker command a test looks for) would be lost.
 */
final class CommandLines {

    private CommandLines() {}

    /** The arguments joined by spaces, or "" when the process is gone or unreadable. */
    static String of(ProcessHandle process) {
        return of(process.pid());
    }

    static String of(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').strip();
        } catch (IOException e) {
            return "";
        }
    }
}
