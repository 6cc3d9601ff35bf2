package org.distarch.it.hosts;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a short local command to its end within a limit. Output goes to temporary files rather than
 * pipes: no reader threads, and a background process the command leaves behind cannot hold us up.
 */
final class Commands {

    private static final File NULL = new File("/dev/null");

    private Commands() {
    }

    static CommandResult run(List<String> command, Duration limit) {
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("distarch-cmd", ".out");
            err = Files.createTempFile("distarch-cmd", ".err");
            long start = System.nanoTime();
            Process process = new ProcessBuilder(command)
                    .redirectInput(NULL)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
                throw new AssertionError("not finished within " + limit + ": " + String.join(" ", command)
                        + "\nstdout: " + read(out) + "\nstderr: " + read(err));
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            return new CommandResult(process.exitValue(), read(out), read(err), elapsed);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a temporary file: the OS cleans /tmp
            }
        }
    }
}
