package org.distarch.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * This JVM's class path copied where another user can read it (the originals may sit under root's home,
 * which other users cannot enter).
 */
final class ReadableClassPath {

    private ReadableClassPath() {}

    static String copyInto(Path copy) throws IOException {
        Files.createDirectories(copy);
        List<String> entries = new ArrayList<>();
        String[] original = System.getProperty("java.class.path").split(":");
        for (int i = 0; i < original.length; i++) {
            Path source = Path.of(original[i]);
            if (!Files.exists(source)) {
                continue;
            }
            Path target = copy.resolve(String.format("%03d-%s", i, source.getFileName()));
            if (Files.isDirectory(source)) {
                try (var tree = Files.walk(source)) {
                    for (Path p : tree.toList()) {
                        Path to = target.resolve(source.relativize(p).toString());
                        if (Files.isDirectory(p)) {
                            Files.createDirectories(to);
                        } else {
                            Files.copy(p, to);
                        }
                    }
                }
            } else {
                Files.copy(source, target);
            }
            entries.add(target.toString());
        }
        return String.join(":", entries);
    }
}
