package org.distarch.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One distarch command (not a master), run in a directory, with what it printed. */
record Cli(int exit, String out, String err) {

    static Cli run(Path dir, String... args) throws Exception {
        return run(dir, java.util.Map.of(), args);
    }

    /** As {@link #run(Path, String...)}, with these environment variables set too. */
    static Cli run(Path dir, java.util.Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(Jvm.testApp());
        command.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "cli", ".out");
        Path err = Files.createTempFile(dir, "cli", ".err");
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile());
        pb.environment().put("DISTARCH_ADMIN_PORT", "auto"); // a master started here never takes the fixed port
        pb.environment().putAll(env);
        Jvm.workerOptions(pb.environment());
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Cli(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
