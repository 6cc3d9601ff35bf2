package org.distarch.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged application as it is deployed: {@code java -jar app.jar run-master}. The master starts its
 * workers with {@code java -jar app.jar COMMAND} (the application's classes sit inside the Spring Boot jar, where
 * a plain class path cannot reach them).
 */
class FatJarIT {

    @TempDir
    Path work;

    @Test
    void javaDashJarRunMasterStartsItsWorkersFromTheSameJar() throws Exception {
        Path jar = Path.of(System.getProperty("example.jar")).toAbsolutePath();
        ProcessBuilder builder = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                "-jar", jar.toString(), "run-master", "--timeout", "120", "--pid", work.resolve("master.pid").toString())
                .directory(work.toFile()).redirectErrorStream(true);
        builder.redirectOutput(work.resolve("output.txt").toFile());
        builder.environment().put("ORDERS_PORT", String.valueOf(Eventually.freePort()));
        builder.environment().put("SERVER_PORT", "0");
        builder.environment().remove("DA_ID");
        Process master = builder.start();
        master.getOutputStream().close();
        Path journal = work.resolve("var/journal.txt");
        try {
            Eventually.await("the greeters and the orders in the journal", Duration.ofSeconds(180), () -> {
                String text = read(journal);
                return text.contains("(worker 2 of 2, round 1)") && text.contains("shipped order-5 to customer 5");
            });
        } finally {
            master.destroy();
        }
        if (!master.waitFor(180, TimeUnit.SECONDS)) {
            master.descendants().forEach(ProcessHandle::destroyForcibly);
            master.destroyForcibly();
        }
        String output = read(work.resolve("output.txt"));
        assertThat(master.exitValue()).as(output).isZero();
        assertThat(output).contains("[Greeters] [localhost] [app:greet/1/1] Hello, distarch!");
        List<String> started = output.lines().filter(l -> l.contains("] Started (pid ")).toList();
        assertThat(started).hasSize(5);
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
