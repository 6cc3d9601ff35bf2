package org.distarch.launch.local;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds a program on the PATH, as the shell's {@code command -v} would. */
public final class Which {

    private Which() {}

    /** The program's path, or null when no directory of PATH has it. */
    public static String find(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            path = "/usr/bin:/bin";
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }
}
