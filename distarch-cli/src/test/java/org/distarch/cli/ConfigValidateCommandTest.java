package org.distarch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** config:validate: valid files exit 0, warnings go to stderr without changing that, errors exit 2. */
class ConfigValidateCommandTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int validate(String yaml) throws Exception {
        Path file = dir.resolve("distributed_architecture.yaml");
        Files.writeString(file, yaml);
        ConfigValidateCommand command = new ConfigValidateCommand(null,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        command.config = new ConfigOption();
        command.config.file = file;
        return command.call();
    }

    /** A port free now: config:validate binds the feeder's port to check it (never a fixed port in tests). */
    private final int port = freePort();

    private static int freePort() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** bin_path: the start-up checks find /bin/sh (without it, app:q would have to be an application command). */
    private String queueGroup(String consumerPort) {
        return """
                distributed_architecture:
                  queue_groups:
                    Q:
                      command: app:q
                      bin_path: /bin/sh
                      local_feeder: {port: %d}
                      consumers:
                        local: {instances_count: 2%s}
                """.formatted(port, consumerPort);
    }

    @Test
    void aConsumerOnTheFeedersAddressButAnotherPortIsAWarningOnStderrAndStillValid() throws Exception {
        int other = port == 65535 ? port - 1 : port + 1;
        assertThat(validate(queueGroup(", port: " + other))).isZero();
        Path file = dir.resolve("distributed_architecture.yaml");
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo(file + ": distributed_architecture.queue_groups.Q."
                + "consumers.local.port: " + other + ", but the group's feeder listens on port " + port
                + " (consumers of another feeder?)" + System.lineSeparator());
        assertThat(out.toString(StandardCharsets.UTF_8)).contains(file + ": valid (0 groups, 1 queue groups, ");
    }

    @Test
    void consumersWithoutPortFollowTheFeederAndRaiseNoWarning() throws Exception {
        assertThat(validate(queueGroup(""))).isZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains(": valid (");
    }

    @Test
    void aCommandThatIsNotTheApplicationsIsReportedWithTheFirstCheck() throws Exception {
        assertThat(validate(queueGroup("").replace("      bin_path: /bin/sh\n", ""))).isEqualTo(ExitCodes.CONFIG);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("queue_groups.Q.command: app:q is not a command of "
                + "this application, which has no worker commands; give bin_path to run another program");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void anInvalidFileExitsWithTheConfigCode() throws Exception {
        assertThat(validate(queueGroup(", port: 0"))).isEqualTo(ExitCodes.CONFIG);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("consumers.local.port: must be between 1 and 65535");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }
}
