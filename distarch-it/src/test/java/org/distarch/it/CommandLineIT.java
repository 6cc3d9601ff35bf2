package org.distarch.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a user meets it: help, config commands, errors that name the file and the key. */
@ExtendWith(NoStrayProcesses.class)
class CommandLineIT {

    private static final Duration LIMIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private MasterRun cli(String... args) throws Exception {
        MasterRun run = MasterRun.startRaw(dir, List.of(args));
        run.awaitExit(LIMIT);
        return run;
    }

    @Test
    void helpListsTheCommandsAndTheApplicationsWorkerCommands() throws Exception {
        try (MasterRun run = cli("--help")) {
            assertThat(run.process.exitValue()).isZero();
            String help = String.join("\n", run.lines());
            assertThat(help).contains("run-master", "config:validate", "config:dump-reference", "test:scripted");
        }
        try (MasterRun run = cli("run-master", "--help")) {
            String help = String.join("\n", run.lines());
            assertThat(help).contains("--max-running-time", "--max-process-timeout", "--timeout", "--config",
                    "--log-format", "--service");
        }
    }

    @Test
    void theSeedsCompleteExampleValidates() throws Exception {
        Path config = dir.resolve("seed.yaml");
        try (var in = getClass().getResourceAsStream("/seed-complete.yaml")) {
            Files.copy(in, config);
        }
        try (MasterRun run = cli("config:validate", "--file-only", "--config", config.toString())) {
            assertThat(run.process.exitValue()).as(run.tail()).isZero();
            assertThat(run.lines()).anyMatch(l -> l.contains("valid (2 groups, 1 queue groups, 12 processes in groups)"));
        }
        // The file is valid, but this machine has neither the seed's PHP, nor its paths, nor its address.
        try (MasterRun run = cli("config:validate", config.toString())) {
            assertThat(run.process.exitValue()).as(run.tail()).isEqualTo(2);
            assertThat(run.errorLines()).contains(
                    config + ": distributed_architecture.groups.\"First Group\".local.path: /the/path/to/symfony4 does "
                            + "not exist",
                    config + ": distributed_architecture.groups.\"First Group\".local.bin_path: /usr/bin/php7-3 does "
                            + "not exist");
            assertThat(run.lines()).isEmpty();
        }
    }

    @Test
    void anInvalidFileNamesTheFileTheKeyPathAndTheProblemAndStartsNothing() throws Exception {
        Path config = dir.resolve("bad.yaml");
        Files.writeString(config, """
                distributed_architecture:
                  groups:
                    First Group:
                      command: test:scripted
                      local:
                        instances_count: 0
                      remote:
                        - instance_count: 2
                          hosts: [a]
                """);
        for (String command : List.of("run-master", "config:validate")) {
            try (MasterRun run = cli(command, "--config", config.toString())) {
                assertThat(run.process.exitValue()).isEqualTo(2);
                String err = String.join("\n", run.errorLines());
                assertThat(err).contains(config + ": distributed_architecture.groups.\"First Group\".local.instances_count: ");
                assertThat(err).contains("distributed_architecture.groups.\"First Group\".remote[0].instance_count");
                assertThat(err).contains("did you mean \"instances_count\"");
                assertThat(run.eventLines()).isEmpty();
            }
        }
    }

    @Test
    void aYamlSyntaxErrorGivesLineAndColumn() throws Exception {
        Path config = dir.resolve("syntax.yaml");
        Files.writeString(config, "distributed_architecture:\n  groups:\n    G: [unclosed\n");
        try (MasterRun run = cli("run-master", "--config", config.toString())) {
            assertThat(run.process.exitValue()).isEqualTo(2);
            assertThat(String.join("\n", run.errorLines())).containsPattern(
                    java.util.regex.Pattern.quote(config.toString()) + ":\\d+:\\d+: YAML syntax error");
        }
    }

    @Test
    void aMissingDefaultConfigurationIsExplained() throws Exception {
        try (MasterRun run = cli("run-master")) {
            assertThat(run.process.exitValue()).isEqualTo(2);
            assertThat(String.join("\n", run.errorLines())).contains("config/packages/distributed_architecture.yaml");
        }
    }

    @Test
    void dumpReferenceListsEveryOptionWithItsDefault() throws Exception {
        try (MasterRun run = cli("config:dump-reference", "distributed_architecture")) {
            assertThat(run.process.exitValue()).isZero();
            String text = String.join("\n", run.lines());
            assertThat(text).contains("distributed_architecture", "instances_count", "bind_to", "port", "9999",
                    "max_failures", "stop_timeout");
        }
    }

    @Test
    void aWorkerCommandRunByHandSaysItNeedsAMaster() throws Exception {
        try (MasterRun run = cli("test:scripted")) {
            assertThat(run.process.exitValue()).isEqualTo(2);
            assertThat(String.join("\n", run.errorLines())).contains("run-master");
        }
    }
}
