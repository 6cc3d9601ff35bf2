package org.distarch.master;

import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How to start "the same program as this master": the same {@code java}, class path and main class. A
 * group without {@code bin_path} runs its command through it, so a Java application's worker commands
 * need no {@code bin_path} at all (the seed's {@code bin/console} model). Extra JVM options for workers
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
        words.add("-cp");
        words.add(System.getProperty("java.class.path"));
        words.add(mainClass);
        return new SelfCommand(words);
    }
}
