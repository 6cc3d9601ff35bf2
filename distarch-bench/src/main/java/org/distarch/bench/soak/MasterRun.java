package org.distarch.bench.soak;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The soak's master: a real {@code distarch run-master} process on the soak's configuration, its output appended
 * to one log across its lives. A SIGKILLed master is started again at once, on the same pid file and socket.
 */
final class MasterRun {

    private final List<String> command;
    private final Path log;
    private Process process;
    private int lives;

    MasterRun(Path config, Path sshConfig, Path log) {
        this.log = log;
        this.command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), "org.distarch.cli.Main", "run-master",
                "--config", config.toString(), "--pid", config.resolveSibling("master.pid").toString(),
                "--ssh-config", sshConfig.toString()));
    }

    void start() throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.PIPE);
        pb.environment().put("DISTARCH_ADMIN_PORT", "auto"); // the HTTP API on, as by default, on any free port
        process = pb.start();
        lives++;
    }

    long pid() {
        return process.pid();
    }

    int lives() {
        return lives;
    }

    /** SIGKILL, then a new master at once. Returns the killed pid. */
    long killAndRestart() throws IOException, InterruptedException {
        long pid = process.pid();
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        start();
        return pid;
    }

    /** SIGTERM (a clean stop of everything) and the exit code, or -1 if it did not end within the limit. */
    int stop(long limitSeconds) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(limitSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            return -1;
        }
        return process.exitValue();
    }

    /** The exit code if the master has ended (without the soak killing or stopping it), else null. */
    Integer exitCode() {
        return process.isAlive() ? null : process.exitValue();
    }
}
