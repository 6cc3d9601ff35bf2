package org.distarch.it;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** The testkit's shell and Python workers, copied out of the jar into a test directory. */
final class ShellWorkers {

    private ShellWorkers() {}

    static Path copy(Path dir, String name) throws IOException {
        Path target = dir.resolve(name);
        try (InputStream in = ShellWorkers.class.getClassLoader().getResourceAsStream("workers/" + name)) {
            if (in == null) {
                throw new IOException("workers/" + name + " is not on the class path");
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        target.toFile().setExecutable(true);
        return target;
    }
}
