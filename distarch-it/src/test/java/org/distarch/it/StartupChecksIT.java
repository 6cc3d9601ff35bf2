package org.distarch.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Start-up must fail early and say why: {@code config:validate} and {@code run-master} check on this machine
 * what would keep a group from starting, each problem in one line with its key path, and refuse with exit code 2
 * before anything starts. A feeder whose port is taken says so in one line, never with a stack trace.
 */
@ExtendWith(NoStrayProcesses.class)
class StartupChecksIT {

    private static final Duration LIMIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private String brokenConfig(int takenPort) throws Exception {
        Path notADir = Files.writeString(dir.resolve("plain-file"), "x");
        return """
                distributed_architecture:
                  groups:
                    Typo:
                      command: app:test-command-3 --verbose
                      local: ~
                    Missing:
                      command: run.php
                      bin_path: /opt/no-such-php/bin/php
                      local: ~
                    Nowhere:
                      command: test:scripted
                      path: %s
                      local: ~
                    Remote:
                      command: test:scripted
                      remote:
                        - hosts: [far-1, far-2]
                  queue_groups:
                    Q:
                      command: test:queue
                      local_feeder: {bind_to: 127.0.0.1, port: %d}
                      consumers: {local: {host: 127.0.0.1}}
                """.formatted(notADir, takenPort);
    }

    private static final String COMMANDS = "app:test-command, app:test-command-2, app:test-queue-command, "
            + "test:queue, test:scripted";

    private List<String> expectedProblems(String file, int port) {
        String p = file + ": distributed_architecture.";
        return List.of(
                p + "groups.Typo.command: app:test-command-3 is not a command of this application; its commands are "
                        + COMMANDS + " (did you mean \"app:test-command-2\"?)",
                p + "groups.Missing.bin_path: /opt/no-such-php/bin/php does not exist",
                p + "groups.Nowhere.path: " + dir.resolve("plain-file") + " is not a directory",
                p + "queue_groups.Q.local_feeder.port: cannot listen on 127.0.0.1:" + port
                        + ": address already in use");
    }

    @Test
    void configValidateNamesEveryGroupThatCannotStartHereWithItsKeyPath() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            Path file = Files.writeString(dir.resolve("distarch.yaml"), brokenConfig(port));

            // As users type it: the file as a positional argument (docs/configuration.md shows it so).
            Cli c = Cli.run(dir, "config:validate", file.toString());
            assertThat(c.exit()).as(c.err()).isEqualTo(2);
            assertThat(c.out()).isEmpty();
            List<String> lines = c.err().lines().toList();
            assertThat(lines).containsExactlyElementsOf(concat(expectedProblems(file.toString(), port),
                    file + ": distributed_architecture.groups.Remote: not checked here: bin_path, path on remote hosts "
                            + "far-1, far-2"));

            Cli same = Cli.run(dir, "config:validate", "--config", file.toString());
            assertThat(same.exit()).isEqualTo(2);
            assertThat(same.err()).isEqualTo(c.err());
        }
    }

    @Test
    void runMasterRefusesWithTheSameLinesAndStartsNothing() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            try (MasterRun run = MasterRun.start(dir, brokenConfig(port))) {
                assertThat(run.awaitExit(LIMIT)).isEqualTo(2);
                String file = dir.resolve("distarch.yaml").toString();
                assertThat(run.errorLines()).containsExactlyElementsOf(concat(expectedProblems(file, port),
                        "Nothing was started: fix the configuration (or this machine) and run again."));
                assertThat(run.lines()).isEmpty();
                assertThat(run.eventLines()).isEmpty();
            }
        }
    }

    @Test
    void aValidFileOnAReadyMachinePassesAndRemoteEntriesSayWhatWasNotChecked() throws Exception {
        Path file = Files.writeString(dir.resolve("ok.yaml"), """
                distributed_architecture:
                  groups:
                    Shell:
                      command: -c 'echo hi'
                      bin_path: sh
                      path: /tmp
                      local: ~
                      remote:
                        - hosts: [far-1]
                """);
        Cli c = Cli.run(dir, "config:validate", file.toString());
        assertThat(c.exit()).as(c.err()).isZero();
        assertThat(c.out()).isEqualTo(file + ": valid (1 groups, 0 queue groups, 2 processes in groups)\n");
        assertThat(c.err()).isEqualTo(file + ": distributed_architecture.groups.Shell: not checked here: bin_path, path "
                + "on remote hosts far-1\n");
    }

    @Test
    void aWrongOptionValueIsOneLineAndAHintNotTheWholeUsage() throws Exception {
        Cli c = Cli.run(dir, "status", "--timeout", "0");
        assertThat(c.exit()).isEqualTo(2);
        assertThat(c.err().lines().toList()).containsExactly("--timeout must be at least 1 second (got 0)",
                "Try 'test-app status --help' for its options.");
        Cli twice = Cli.run(dir, "config:validate", "a.yaml", "--config", "b.yaml");
        assertThat(twice.exit()).isEqualTo(2);
        assertThat(twice.err()).isEqualTo("Give the file once: FILE or --config, not both (got a.yaml and b.yaml)\n");
    }

    /**
     * The feeder itself, as the master starts it, on a port taken after the start-up check: one line that asks
     * the master to give it up (no stack trace), exit code 1. The master's side is InstanceSupervisorTest's.
     */
    @Test
    void aFeederWhosePortIsTakenSaysSoInOneLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            List<String> command = new java.util.ArrayList<>(Jvm.testApp());
            command.add("test:queue");
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectOutput(dir.resolve("feeder.out").toFile()).redirectError(dir.resolve("feeder.err").toFile());
            pb.environment().putAll(java.util.Map.of("DA_ID", "1", "DA_GROUP_ID", "1", "DA_GROUP_COUNT", "2",
                    "DA_GROUP_NAME", "Q", "DA_PARAMS", "{\"items\": 1}", "DA_QUEUE_ROLE", "feeder",
                    "DA_QUEUE_HOST", "127.0.0.1", "DA_QUEUE_PORT", Integer.toString(port)));
            Process p = pb.start();
            p.getOutputStream().close();
            assertThat(p.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isEqualTo(1);
            List<String> out = Files.readAllLines(dir.resolve("feeder.out"));
            assertThat(out).containsExactly("@@distarch cannot-start cannot listen on 127.0.0.1:" + port
                    + ": address already in use");
            assertThat(Files.readString(dir.resolve("feeder.err"))).doesNotContain("Exception").doesNotContain("\tat ");
        }
    }

    private static List<String> concat(List<String> lines, String more) {
        List<String> all = new java.util.ArrayList<>(lines);
        all.add(more);
        return all;
    }
}
