package org.distarch.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The application's own command line, as an operator runs it ({@code java ... ExampleApp run-master}): a real
 * master process, whose workers are this application again, started without their web server.
 */
class CommandLineTest {

    @TempDir
    Path work;

    @Test
    void runMasterRunsTheFleetOfApplicationYamlAndStopsCleanlyOnSigterm() throws Exception {
        Process master = start(List.of("run-master", "--timeout", "120", "--pid", work.resolve("master.pid").toString()),
                List.of());
        Path journal = work.resolve("var/journal.txt");
        try {
            Eventually.await("both greeters and all 5 orders in the journal", Duration.ofSeconds(180), () -> {
                String text = read(journal);
                return text.contains("(worker 1 of 2, round 2)") && text.contains("(worker 2 of 2, round 2)")
                        && text.contains("shipped order-5 to customer 5");
            });
        } finally {
            master.destroy(); // SIGTERM: the graceful stop
        }
        Run run = finish(master);
        assertThat(run.exit).as(run.output).isZero();
        assertThat(read(journal)).contains("shipped order-1 to customer 1", "shipped order-4 to customer 4");
        assertThat(run.output).contains("[Greeters] [localhost] [app:greet/1/1] Hello, distarch!",
                "Feeder done: 5 handed out, 5 succeeded, 0 failed");
        // The master keeps the application's web server; its workers start without one.
        assertThat(run.output).contains("Tomcat started on port");
        assertThat(run.output.lines().filter(line -> line.contains("[app:") && line.contains("Tomcat"))).isEmpty();
    }

    @Test
    void configValidateNamesTheKeyPathOfAnApplicationYamlError() throws Exception {
        Path bad = work.resolve("bad.yaml");
        Files.writeString(bad, "distributed-architecture:\n  groups:\n    Greeters:\n      local:\n        instance-count: 2\n");
        Run run = run(List.of("config:validate"), List.of("SPRING_CONFIG_ADDITIONAL_LOCATION=file:" + bad));
        assertThat(run.exit).as(run.output).isEqualTo(2);
        assertThat(run.output).contains(bad + ": distributed_architecture.groups.Greeters.local.\"instance-count\": "
                + "unknown key \"instance-count\" (did you mean \"instances_count\"?)");
    }

    @Test
    void configValidateAcceptsTheExampleConfiguration() throws Exception {
        Run run = run(List.of("config:validate"), List.of());
        assertThat(run.exit).as(run.output).isZero();
        assertThat(run.output).contains("application.yaml: valid (1 groups, 1 queue groups");
    }

    private record Run(int exit, String output) {}

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Run run(List<String> args, List<String> env) throws Exception {
        return finish(start(args, env));
    }

    private Process start(List<String> args, List<String> env) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), ExampleApp.class.getName()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true);
        builder.redirectOutput(work.resolve("output.txt").toFile());
        builder.environment().put("ORDERS_PORT", String.valueOf(Eventually.freePort()));
        builder.environment().put("SERVER_PORT", "0");
        builder.environment().remove("DA_ID");
        for (String pair : env) {
            String[] kv = pair.split("=", 2);
            builder.environment().put(kv[0], kv[1]);
        }
        Process process = builder.start();
        process.getOutputStream().close();
        return process;
    }

    private Run finish(Process process) throws Exception {
        if (!process.waitFor(180, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new AssertionError("no exit within 120 s:\n" + Files.readString(work.resolve("output.txt")));
        }
        return new Run(process.exitValue(), Files.readString(work.resolve("output.txt"), StandardCharsets.UTF_8));
    }

}
