package org.distarch.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The {@code logs:} section of groups and queue groups. */
class LogsValidationTest {

    @Test
    void absentMeansTheDefaults() {
        DistarchConfig c = Yaml.load(Yaml.group("      command: run\n      local: ~\n"));
        assertThat(c.groups().get(0).logs()).isEqualTo(LogsConfig.DEFAULT);
        assertThat(LogsConfig.DEFAULT.stderrLevel()).isEqualTo("warn");
        assertThat(LogsConfig.DEFAULT.bufferLines()).isEqualTo(1000);
    }

    @Test
    void everyKeyIsRead() {
        DistarchConfig c = Yaml.load(Yaml.group("""
                      command: run
                      local: ~
                      logs:
                        stdout_level: debug
                        stderr_level: Warning
                        buffer_lines: 50
                        buffer_bytes: 64K
                        dir: /var/log/app
                        max_bytes: 2M
                        backups: 3
                """));
        assertThat(c.groups().get(0).logs()).isEqualTo(new LogsConfig("debug", "warn", 50, 64 * 1024,
                Path.of("/var/log/app"), 2L << 20, 3));
    }

    @Test
    void queueGroupsHaveItToo() {
        DistarchConfig c = Yaml.load("""
                distributed_architecture:
                  queue_groups:
                    Q:
                      command: q
                      local_feeder: ~
                      consumers: {local: ~}
                      logs: {stderr_level: error}
                """);
        assertThat(c.queueGroups().get(0).logs().stderrLevel()).isEqualTo("error");
    }

    @Test
    void badValuesNameTheKeyPath() {
        assertThat(Yaml.errors(Yaml.group("""
                      command: run
                      local: ~
                      logs:
                        stderr_level: loud
                        buffer_lines: -1
                        buffer_bytes: 12
                        max_bytes: lots
                        backups: 5000
                        colour: red
                """))).containsExactly(
                "test.yaml: distributed_architecture.groups.G.logs.stderr_level: must be one of trace, debug, info, "
                        + "warn, error (got \"loud\")",
                "test.yaml: distributed_architecture.groups.G.logs.buffer_lines: must be between 0 and 1000000 (got -1)",
                "test.yaml: distributed_architecture.groups.G.logs.buffer_bytes: must be between 1024 and 67108864 "
                        + "bytes (got 12)",
                "test.yaml: distributed_architecture.groups.G.logs.max_bytes: must be a size such as 512M, 2G or "
                        + "1048576 (got \"lots\")",
                "test.yaml: distributed_architecture.groups.G.logs.backups: must be between 0 and 1000 (got 5000)",
                "test.yaml: distributed_architecture.groups.G.logs.colour: unknown key \"colour\" (expected one of: "
                        + "stdout_level, stderr_level, buffer_lines, buffer_bytes, dir, max_bytes, backups)");
    }

    @Test
    void theReferenceShowsTheSection() {
        assertThat(ConfigReference.render()).contains("logs:").contains("stderr_level:         warn")
                .contains("max_bytes:").contains("backups:");
    }
}
