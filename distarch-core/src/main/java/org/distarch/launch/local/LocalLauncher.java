package org.distarch.launch.local;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.distarch.launch.LaunchException;
import org.distarch.launch.LaunchSpec;
import org.distarch.launch.LaunchedWorker;
import org.distarch.launch.Launcher;
import org.distarch.launch.LineHandler;

/**
 * Starts workers as local child processes.
 *
 * <p>Each worker runs as {@code setsid setpriv --pdeathsig TERM -- [nice -n P] command…}: {@code setsid}
 * gives it a process group of its own (so the whole tree can be signalled, and the terminal's Ctrl-C
 * reaches only the master, which then stops the fleet in order); the parent-death signal makes it hear
 * of a master killed with SIGKILL. The three wrappers exec, so the worker keeps the pid we see.
 *
 * <p>All processes are spawned from one long-lived thread: Linux sends the parent-death signal when the
 * <em>thread</em> that forked the child ends, not when the JVM does.
 */
public final class LocalLauncher implements Launcher {

    private final ExecutorService spawner;
    private final List<String> wrapper;
    private final int maxLineBytes;
    private final ProcessSignaller signaller = new ProcessSignaller();

    public LocalLauncher(int maxLineBytes) {
        this.maxLineBytes = maxLineBytes;
        this.wrapper = detectWrapper();
        this.spawner = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "distarch-spawner");
            t.setDaemon(true);
            return t;
        });
    }

    /** The wrapper programs found on this machine, for the start-up log. */
    public List<String> wrapper() {
        return wrapper;
    }

    @Override
    public CompletionStage<LaunchedWorker> launch(LaunchSpec spec, LineHandler output) {
        return CompletableFuture.supplyAsync(() -> start(spec, output), spawner);
    }

    @Override
    public void close() {
        spawner.shutdown();
        signaller.close();
    }

    private LaunchedWorker start(LaunchSpec spec, LineHandler output) {
        checkProgram(spec);
        List<String> command = new ArrayList<>(wrapper);
        if (spec.priority() != null && Which.find("nice") != null) {
            command.add("nice");
            command.add("-n");
            command.add(Integer.toString(spec.priority()));
        }
        command.addAll(spec.command());
        ProcessBuilder builder = new ProcessBuilder(command);
        if (spec.directory() != null) {
            if (!Files.isDirectory(spec.directory())) {
                throw new LaunchException("working directory " + spec.directory() + " does not exist", null);
            }
            builder.directory(spec.directory().toFile());
        }
        builder.environment().putAll(spec.environment());
        try {
            return LocalWorker.start(builder.start(), output, maxLineBytes, !wrapper.isEmpty(), signaller);
        } catch (IOException e) {
            throw new LaunchException("cannot run " + spec.command().get(0) + ": " + e.getMessage(), e);
        }
    }

    /**
     * The wrappers exec the program, so a missing one would show only as a wrapper's exit code: check first and
     * fail the launch with a sentence instead.
     */
    private static void checkProgram(LaunchSpec spec) {
        String program = spec.command().get(0);
        if (program.contains("/")) {
            java.nio.file.Path path = java.nio.file.Path.of(program);
            if (!path.isAbsolute() && spec.directory() != null) {
                path = spec.directory().resolve(path);
            }
            if (!Files.isRegularFile(path)) {
                throw new LaunchException("cannot run " + program + ": no such file", null);
            }
            if (!Files.isExecutable(path)) {
                throw new LaunchException("cannot run " + program + ": not executable", null);
            }
        } else if (Which.find(program) == null) {
            throw new LaunchException("cannot run " + program + ": not found on the PATH", null);
        }
    }

    private static List<String> detectWrapper() {
        List<String> w = new ArrayList<>();
        if (Which.find("setsid") != null) {
            w.add("setsid");
        }
        if (Which.find("setpriv") != null) {
            w.addAll(List.of("setpriv", "--pdeathsig", "TERM", "--"));
        }
        return List.copyOf(w);
    }
}
