package org.distarch.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.distarch.config.Yaml.errors;
import static org.distarch.config.Yaml.group;
import static org.distarch.config.Yaml.load;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile or unusual YAML: aliases, huge files and lines, special floats, deep nesting, library messages. */
class YamlSafetyTest {

    private static final String PARAMS = "test.yaml: distributed_architecture.groups.G.params";

    private static String withParams(String params) {
        return group("      command: run\n      local: ~\n      params:\n" + params.indent(8));
    }

    /** A 2 MB one-line scalar took 2.1 s and 817 MB to read; lines are now bounded before parsing. */
    @Test
    void longLinesAreRefusedBeforeParsing(@TempDir Path dir) throws Exception {
        String yaml = withParams("long: " + "x".repeat(2_000_000 - 14) + "\n");
        assertThat(errors(yaml)).containsExactly(
                "test.yaml: line 7 is 2,000,000 characters long; at most 65,536 are allowed");
        assertThat(errors("a: b\r\n\r\n" + "y".repeat(65_537))).containsExactly(
                "test.yaml: line 3 is 65,537 characters long; at most 65,536 are allowed");
        assertThat(load(withParams("ok: " + "z".repeat(60_000) + "\n")).groups().get(0).params().get("ok"))
                .asString().hasSize(60_000);

        Path file = dir.resolve("long.yaml");
        Files.writeString(file, yaml);
        assertThatThrownBy(() -> ConfigLoader.load(file)).isInstanceOf(ConfigException.class)
                .hasMessage(file + ": line 7 is 2,000,000 characters long; at most 65,536 are allowed");
    }

    /** An 8 MB file took 23.5 s to read; files are now bounded at 4 MiB before they are read whole. */
    @Test
    void hugeFilesAreRefusedBeforeReading(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("huge.yaml");
        byte[] line = ("# " + "-".repeat(1021) + "\n").getBytes(StandardCharsets.UTF_8);
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int i = 0; i < 50 * 1024; i++) {
                out.write(line);
            }
        }
        assertThatThrownBy(() -> ConfigLoader.load(file)).isInstanceOf(ConfigException.class)
                .hasMessage(file + ": the file is 52,428,800 bytes long; at most 4,194,304 (4 MiB) are allowed");
        assertThat(errors("#\n".repeat(2 * 1024 * 1024 + 1))).containsExactly(
                "test.yaml: the file is 4,194,306 characters long; at most 4,194,304 (4 MiB) are allowed");
    }
}
