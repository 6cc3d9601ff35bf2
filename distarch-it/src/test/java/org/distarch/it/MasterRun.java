package org.distarch.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real master process ({@link TestApp} run-master) on a configuration written by the test, with its
 * stdout and stderr in files: what a user would see in a terminal.
 */
final class MasterRun implements AutoCloseable {

    final Path dir;
    final Path log;
    final Path errors;
    final Path events;
    final Process process;

    private MasterRun(Path dir, Process process) {
        this.dir = dir;
        this.log = dir.resolve("master.log");
        this.errors = dir.resolve("master.err");
        this.events = dir.resolve("events.txt");
        this.process = process;
    }

    static MasterRun start(Path dir, String yaml, String... args) throws IOException {
        Path config = dir.resolve("distarch.yaml");
        Files.writeString(config, yaml);
        List<String> command = new ArrayList<>(List.of("run-master", "--config", config.toString()));
        command.addAll(List.of(args));
        return startRaw(dir, command);
    }

    static MasterRun startRaw(Path dir, List<String> args, String... env) throws IOException {
        return startMain(dir, TestApp.class, args, env);
    }

    /** As {@link #startRaw}, with another application's main (the admin page's tests run the demo's). */
    static MasterRun startMain(Path dir, Class<?> main, List<String> args, String... env) throws IOException {
        return startUnder(dir, List.of(), main, args, env);
    }

    /**
     * As {@link #startMain}, the JVM run by {@code wrapper} (a program that runs its arguments as a command,
     * such as {@code nohup}).
     */
    static MasterRun startUnder(Path dir, List<String> wrapper, Class<?> main, List<String> args, String... env)
            throws IOException {
        List<String> command = new ArrayList<>(wrapper);
        command.addAll(Jvm.java(System.getProperty("java.class.path"), main.getName()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(dir.resolve("master.log").toFile())
                .redirectError(dir.resolve("master.err").toFile());
        pb.environment().put("DISTARCH_TEST_EVENTS", dir.resolve("events.txt").toString());
        // Many masters run at once here, and other builds beside: never the fixed default port of the HTTP API.
        pb.environment().put("DISTARCH_ADMIN_PORT", "auto");
        Jvm.workerOptions(pb.environment());
        for (String kv : env) {
            String[] parts = kv.split("=", 2);
            pb.environment().put(parts[0], parts[1]);
        }
        return new MasterRun(dir, pb.start());
    }

    /**
     * As {@link #startRaw}, with the given class path instead of this JVM's (service mode tests: a copy
     * that an unprivileged user can read).
     */
    static MasterRun startRawWithClassPath(Path dir, String classPath, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(Jvm.java(classPath, TestApp.class.getName()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(dir.resolve("master.log").toFile())
                .redirectError(dir.resolve("master.err").toFile());
        pb.environment().put("DISTARCH_TEST_EVENTS", dir.resolve("events.txt").toString());
        // Many masters run at once here, and other builds beside: never the fixed default port of the HTTP API.
        pb.environment().put("DISTARCH_ADMIN_PORT", "auto");
        Jvm.workerOptions(pb.environment());
        return new MasterRun(dir, pb.start());
    }

    /** Waits for the master to exit by itself and returns its exit code. */
    int awaitExit(Duration limit) throws InterruptedException {
        boolean exited = process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(exited).as("master exited within %s; log:%n%s", limit, tail()).isTrue();
        return process.exitValue();
    }

    /** Waits until some log line matches. */
    String awaitLine(Predicate<String> match, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            for (String line : lines()) {
                if (match.test(line)) {
                    return line;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no matching log line within " + limit + "; log:\n" + tail());
    }

    List<String> lines() {
        return read(log);
    }

    List<String> errorLines() {
        return read(errors);
    }

    List<String> eventLines() {
        return read(events);
    }

    String tail() {
        List<String> l = lines();
        List<String> e = errorLines();
        return String.join("\n", l.subList(Math.max(0, l.size() - 60), l.size()))
                + (e.isEmpty() ? "" : "\nstderr:\n" + String.join("\n", e.subList(Math.max(0, e.size() - 30), e.size())));
    }

    private static List<String> read(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every process below the master (its workers and their children), as seen now. */
    List<ProcessHandle> tree() {
        return process.descendants().toList();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
