package org.distarch.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-group settings daemons need, with real shell workers and the real CLI: timeout 0, autorestart and
 * exit_codes, stop_signal, environment (never in the master's output), umask and user.
 */
@ExtendWith(NoStrayProcesses.class)
class DaemonSettingsIT {

    private static final Duration LIMIT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    /** A shell script in the test directory, run with {@code bin_path: /bin/sh}. */
    private Path script(String name, String body) throws Exception {
        return Files.writeString(dir.resolve(name), body);
    }

    private static long count(List<String> lines, String text) {
        return lines.stream().filter(l -> l.contains(text)).count();
    }

    @Test
    void quietDaemonsWithTimeoutZeroAreNeitherTimedOutNorKilledByTheMastersTimeout() throws Exception {
        Path quiet = script("quiet.sh", "echo up; exec sleep 600\n");
        String yaml = """
                distributed_architecture:
                  groups:
                    Quiet:
                      command: %s
                      bin_path: /bin/sh
                      timeout: 0
                      local: ~
                    QuietEntry:
                      command: %s
                      bin_path: /bin/sh
                      local: {timeout: none}
                """.formatted(quiet, quiet);
        try (MasterRun run = MasterRun.start(dir, yaml, "--timeout", "5", "--max-running-time", "14")) {
            assertThat(run.awaitExit(LIMIT)).as(run.tail()).isZero();
            List<String> lines = run.lines();
            assertThat(lines).noneMatch(l -> l.contains("Timeout waiting for content") || l.contains("timed out")
                    || l.contains("Timeout reached") || l.contains("force kill"));
            assertThat(lines).anyMatch(l -> l.contains("[master] Stopping... (--max-running-time of 14s reached)"));
            assertThat(count(lines, "] Started (pid ")).isEqualTo(2);
            // The process lines no longer repeat the master's whole reason.
            assertThat(lines).anyMatch(l -> l.endsWith("[Quiet] [localhost] [" + quiet + "/1/1] Stopping... (the master "
                    + "is stopping)"));
        }
    }

    @Test
    void autorestartAndExitCodesDecideWhatAnExitBecomes() throws Exception {
        Path exit2 = script("exit2.sh", "echo two; exit 2\n");
        Path exit3 = script("exit3.sh", "echo three; exit 3\n");
        Path exit0 = script("exit0.sh", "echo zero; sleep 1; exit 0\n");
        String yaml = """
                distributed_architecture:
                  groups:
                    Success:
                      command: %s
                      bin_path: /bin/sh
                      exit_codes: [0, 2]
                      local: ~
                    Never:
                      command: %s
                      bin_path: /bin/sh
                      autorestart: never
                      local: ~
                    Always:
                      command: %s
                      bin_path: /bin/sh
                      autorestart: always
                      restart: {initial_backoff: 0.5, jitter: 0}
                      local: ~
                """.formatted(exit2, exit3, exit0);
        try (MasterRun run = MasterRun.start(dir, yaml, "--max-running-time", "12")) {
            run.awaitLine(l -> l.contains("[Always] [localhost]") && l.contains("exited with exit code 0 (autorestart: "
                    + "always)"), LIMIT);
            JsonNode status = awaitStatus(s -> state(s, "Success").equals("ENDED") && state(s, "Never").equals("FAILED"));
            assertThat(state(status, "Success")).isEqualTo("ENDED");
            assertThat(run.awaitExit(LIMIT)).as("Never was given up").isEqualTo(1);
            List<String> lines = run.lines();
            String success = "[Success] [localhost] [" + exit2 + "/1/1] ";
            String never = "[Never] [localhost] [" + exit3 + "/2/1] ";
            assertThat(count(lines, success + "Started (pid")).isEqualTo(1);
            assertThat(lines).anyMatch(l -> l.endsWith(success + "Ended with exit code 2 (a success: exit_codes)"));
            assertThat(count(lines, never + "Started (pid")).isEqualTo(1);
            assertThat(lines).anyMatch(l -> l.endsWith(never + "Given up: exited with exit code 3 (autorestart: never)"));
            assertThat(count(lines, "[Always] [localhost] [" + exit0 + "/3/1] Started (pid")).isGreaterThanOrEqualTo(3);
            // The Started line comes before the worker's first line, every time.
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).endsWith(" two")) {
                    assertThat(lines.subList(0, i)).anyMatch(l -> l.contains(success + "Started (pid"));
                }
            }
        }
    }

    @Test
    void stopSignalIntIsWhatAShellWorkerTraps() throws Exception {
        Path trapper = script("trap.sh", """
                trap 'echo got INT; exit 0' INT
                trap 'echo got TERM; exit 0' TERM
                echo ready
                while :; do sleep 0.2; done
                """);
        String yaml = """
                distributed_architecture:
                  groups:
                    Trap:
                      command: %s
                      bin_path: /bin/sh
                      stop_signal: INT
                      local: ~
                """.formatted(trapper);
        try (MasterRun run = MasterRun.start(dir, yaml)) {
            run.awaitLine(l -> l.endsWith("] ready"), LIMIT);
            run.process.destroy(); // SIGTERM to the master: the one stop sequence sends the group's INT
            assertThat(run.awaitExit(LIMIT)).isZero();
            List<String> lines = run.lines();
            assertThat(lines).anyMatch(l -> l.endsWith("] got INT"));
            assertThat(lines).noneMatch(l -> l.endsWith("] got TERM") || l.contains("force kill"));
        }
    }

    @Test
    void environmentReachesTheWorkerAndNeverTheMastersOutput() throws Exception {
        String secret = "s3cr3t-" + System.nanoTime();
        Path out = dir.resolve("env.out");
        Path writer = script("env.sh", "printf '%s|%s|%s' \"$API_TOKEN\" \"$MODE\" \"$WORKERS\" > " + out
                + "; echo wrote\n");
        String yaml = """
                distributed_architecture:
                  groups:
                    Env:
                      command: %s
                      bin_path: /bin/sh
                      environment:
                        API_TOKEN: "${IT_API_TOKEN}"
                        MODE: production
                        WORKERS: 4
                      local: ~
                """.formatted(writer);
        Path config = Files.writeString(dir.resolve("distarch.yaml"), yaml);
        try (MasterRun run = MasterRun.startRaw(dir, List.of("run-master", "--config", config.toString(),
                "--log-format", "json"), "IT_API_TOKEN=" + secret, "DISTARCH_TEST_EVENTS_JSON=" + dir.resolve("ev.json"))) {
            assertThat(run.awaitExit(LIMIT)).as(run.tail()).isZero();
            assertThat(Files.readString(out)).isEqualTo(secret + "|production|4");
            assertThat(Files.readString(run.log)).contains("wrote").doesNotContain(secret);
            assertThat(Files.readString(run.errors)).doesNotContain(secret);
            assertThat(Files.readString(run.events)).doesNotContain(secret);
            assertThat(Files.readString(dir.resolve("ev.json"))).isNotEmpty().doesNotContain(secret);
        }
        // A missing variable is named, its would-be value never shown.
        Cli missing = Cli.run(dir, "config:validate", config.toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).isEqualTo(config + ": distributed_architecture.groups.Env.environment.API_TOKEN: "
                + "environment variable IT_API_TOKEN is not set (set it, or give a default: ${IT_API_TOKEN:-default})\n");
    }

    @Test
    void umaskIsTheModeMaskOfFilesTheWorkerCreates() throws Exception {
        Path made = dir.resolve("made.txt");
        Path maker = script("umask.sh", "echo data > " + made + "; echo made\n");
        String yaml = """
                distributed_architecture:
                  groups:
                    Mask:
                      command: %s
                      bin_path: /bin/sh
                      umask: "027"
                      local: ~
                """.formatted(maker);
        try (MasterRun run = MasterRun.start(dir, yaml)) {
            assertThat(run.awaitExit(LIMIT)).as(run.tail()).isZero();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(made))).isEqualTo("rw-r-----");
        }
    }

    @Test
    void userRunsTheGroupsProcessesAsThatUser() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")),
                "switching users needs a master running as root (tests run as root here and in CI)");
        assumeTrue(new ProcessBuilder("id", "nobody").start().waitFor() == 0, "this machine has no user nobody");
        Path shared = Files.createDirectory(dir.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path who = shared.resolve("who.txt");
        Path script = script("who.sh", "id -un > " + who + "; echo HOME=$HOME; echo checked\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rw-r--r--"));
        String yaml = """
                distributed_architecture:
                  groups:
                    Nobody:
                      command: %s
                      bin_path: /bin/sh
                      user: nobody
                      path: %s
                      local: ~
                """.formatted(script, shared);
        try (MasterRun run = MasterRun.start(dir, yaml)) {
            assertThat(run.awaitExit(LIMIT)).as(run.tail()).isZero();
            assertThat(Files.readString(who).strip()).isEqualTo("nobody");
            assertThat(Files.getOwner(who).getName()).isEqualTo("nobody");
            assertThat(run.lines()).anyMatch(l -> l.endsWith("] checked"));
        }
    }

    // ---- status, through the real CLI ------------------------------------------------------------------------

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonNode awaitStatus(java.util.function.Predicate<JsonNode> ok) throws Exception {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            Cli c = Cli.run(dir, "status", "--json");
            if (c.exit() == 0) {
                last = JSON.readTree(c.out());
                if (ok.test(last)) {
                    return last;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("status never matched; last: " + last);
    }

    private static String state(JsonNode status, String group) {
        List<String> states = new ArrayList<>();
        status.path("processes").forEach(p -> {
            if (p.path("group").asText().equals(group)) {
                states.add(p.path("state").asText());
            }
        });
        return states.isEmpty() ? "" : states.get(0);
    }
}
