package org.distarch.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A local process's whole command line, from {@code /proc/PID/cmdline}: the JDK's
 * {@code ProcessHandle.Info.commandLine()} gives up on lines over 4,096 characters, which a worker's class path
 * alone passes.
 */
final class CommandLines {

    private CommandLines() {}

    /** The arguments joined by spaces; empty when the process is gone or not ours to read. */
    static String of(ProcessHandle process) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "cmdline"));
            return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').strip();
        } catch (IOException e) {
            return "";
        }
    }
}
