package org.distarch.master;

import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How to start "the same program as this master": the same {@code java}, class path and main class. A
 * group without {@code bin_path} runs its command through it, so a Java application's worker commands
 * need no {@code bin_path} at all (the seed's {@code bin/console} model); a master started with
 * {@code java -jar} starts them with {@code java -jar} too. Extra JVM options for workers
 * come from the environment variable {@code DISTARCH_WORKER_JAVA_OPTS}.
 */
public record SelfCommand(List<String> words) {

    public SelfCommand {
        words = List.copyOf(words);
    }

    public static SelfCommand ofJava(String mainClass) {
        String java = ProcessHandle.current().info().command()
                .orElse(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        List<String> words = new ArrayList<>();
        words.add(java);
        String opts = System.getenv("DISTARCH_WORKER_JAVA_OPTS");
        if (opts != null && !opts.isBlank()) {
            words.addAll(Arrays.asList(opts.trim().split("\\s+")));
        }
        words.addAll(program(mainClass));
        return new SelfCommand(words);
    }

    /**
     * The words after the JVM options that start this program again: {@code -jar JAR} when this JVM was
     * started with {@code java -jar} (a Spring Boot or shaded jar, whose main class may not load from a plain
     * class path), else {@code -cp CLASSPATH mainClass}.
     */
    public static List<String> program(String mainClass) {
        String classPath = System.getProperty("java.class.path", "");
        String command = System.getProperty("sun.java.command", "");
        String first = command.isBlank() ? "" : command.trim().split("\\s+")[0];
        if (first.endsWith(".jar") && first.equals(classPath)) {
            return List.of("-jar", new File(first).getAbsolutePath());
        }
        return List.of("-cp", classPath, mainClass);
    }
}
