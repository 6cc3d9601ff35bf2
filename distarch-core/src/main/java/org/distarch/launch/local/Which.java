package org.distarch.launch.local;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Finds a program on the PATH, as the shell's {@code command -v} would. */
public final class Which {

    /**
     * Where each program was found last. The launcher asks before every start, and each PATH directory that
     * lacks the program costs a failed access() that the JDK turns into an exception: a path found before is
     * checked with one call instead. Callers only ask whether the program can be run (exec looks it up again),
     * so a copy installed since in an earlier PATH directory changes nothing they do.
     */
    private static final Map<String, String> FOUND = new ConcurrentHashMap<>();

    private Which() {}

    /** The program's path, or null when no directory of PATH has it. */
    public static String find(String program) {
        String known = FOUND.get(program);
        if (known != null && Files.isExecutable(Path.of(known))) {
            return known;
        }
        String found = search(program);
        if (found == null) {
            FOUND.remove(program);
        } else {
            FOUND.put(program, found);
        }
        return found;
    }

    private static String search(String program) {
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
