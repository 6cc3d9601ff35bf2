package org.distarch.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Collections;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real worker process started as a master would: identity in the environment, pipes on stdio.
 * Lines are split on '\n' only (a bare CR stays in its line) and decoded as UTF-8 with
 * replacement, as the master does.
 */
final class LaunchedWorker implements AutoCloseable {

    private final Process process;
    private final List<String> stdout = Collections.synchronizedList(new ArrayList<>());
    private final List<String> stderr = Collections.synchronizedList(new ArrayList<>());
    private final Thread stdoutReader;
    private final Thread stderrReader;

    private LaunchedWorker(Process process) {
        this.process = process;
        this.stdoutReader = drain(process.getInputStream(), stdout);
        this.stderrReader = drain(process.getErrorStream(), stderr);
    }

    static Map<String, String> identity(int id, String paramsJson) {
        Map<String, String> env = new HashMap<>();
        env.put("DA_ID", String.valueOf(id));
        env.put("DA_GROUP_ID", "1");
        env.put("DA_GROUP_COUNT", "2");
        env.put("DA_GROUP_NAME", "Test Group");
        env.put("DA_HOST", "localhost");
        env.put("DA_TIMEOUT", "30");
        env.put("DA_COMMAND", "test/" + id + "/1");
        env.put("DA_PROTOCOL", "1");
        env.put("DA_MASTER_PID", String.valueOf(ProcessHandle.current().pid()));
        env.put("DA_PARAMS", paramsJson);
        return env;
    }

    /** Starts {@code java -cp <test classpath> org.distarch.testkit.ScriptedWorkerMain}. */
    static LaunchedWorker java(Map<String, String> env) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return start(List.of(java, "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"), ScriptedWorkerMain.class.getName()), env);
    }

    static LaunchedWorker start(List<String> command, Map<String, String> env) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(name -> name.startsWith("DA_"));
        builder.environment().putAll(env);
        return new LaunchedWorker(builder.start());
    }

    private static Thread drain(InputStream stream, List<String> into) {
        Thread thread = new Thread(() -> {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            byte[] buffer = new byte[1 << 16];
            try (stream) {
                for (int n; (n = stream.read(buffer)) > 0; ) {
                    int start = 0;
                    for (int i = 0; i < n; i++) {
                        if (buffer[i] == '\n') {
                            line.write(buffer, start, i - start);
                            into.add(line.toString(StandardCharsets.UTF_8));
                            line.reset();
                            start = i + 1;
                        }
                    }
                    line.write(buffer, start, n - start);
                }
            } catch (IOException ignored) {
                // process gone
            }
            if (line.size() > 0) {
                into.add(line.toString(StandardCharsets.UTF_8));
            }
        }, "test-drain");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    long pid() {
        return process.pid();
    }

    void send(String line) throws IOException {
        OutputStream stdin = process.getOutputStream();
        stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
    }

    void closeStdin() throws IOException {
        process.getOutputStream().close();
    }

    /** SIGTERM, leaving the pipes open (Process.destroy() would also close them). */
    void terminate() {
        process.toHandle().destroy();
    }

    String awaitLine(Predicate<String> matching, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        int checked = 0;
        while (System.nanoTime() < deadline) {
            List<String> fresh;
            synchronized (stdout) {
                fresh = new ArrayList<>(stdout.subList(checked, stdout.size()));
            }
            for (String line : fresh) {
                if (matching.test(line)) {
                    return line;
                }
            }
            checked += fresh.size();
            Thread.sleep(10);
        }
        throw new AssertionError("no matching line within " + seconds + " s; " + describe());
    }

    String awaitLine(String exact, long seconds) throws InterruptedException {
        return awaitLine(exact::equals, seconds);
    }

    /** Waits for the exit and for stdout to be read to its end. */
    int awaitExit(long seconds) throws InterruptedException {
        assertThat(process.waitFor(seconds, TimeUnit.SECONDS))
                .as("exited within %d s; %s", seconds, describe()).isTrue();
        // Both pipes are read to their end before anyone looks at what the worker printed.
        stdoutReader.join(TimeUnit.SECONDS.toMillis(seconds));
        stderrReader.join(TimeUnit.SECONDS.toMillis(seconds));
        return process.exitValue();
    }

    boolean alive() {
        return process.isAlive();
    }

    List<String> stdout() {
        synchronized (stdout) {
            return new ArrayList<>(stdout);
        }
    }

    List<String> stderr() {
        synchronized (stderr) {
            return new ArrayList<>(stderr);
        }
    }

    /** The last lines only: a flood must not flood the test report. */
    String describe() {
        List<String> out = stdout();
        return "stdout (" + out.size() + " lines, last 20)=" + out.subList(Math.max(0, out.size() - 20), out.size())
                + " stderr=" + stderr();
    }

    /** Kills the worker and everything it started. */
    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
