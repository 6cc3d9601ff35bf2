package org.distarch.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.distarch.config.Yaml.errors;
import static org.distarch.config.Yaml.group;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole-file rules: the root key, unknown and duplicate keys, names, syntax errors, files, many errors at once. */
class FileValidationTest {

    private static final String G = "test.yaml: distributed_architecture.groups.G";
    private static final String OK_GROUP = "    G:\n      command: run\n      local: ~\n";

    @Test
    void rootKeyIsRequired() {
        assertThat(errors("groups:\n" + OK_GROUP)).containsExactly(
                "test.yaml: distributed_architecture: is required",
                "test.yaml: groups: unknown key \"groups\" (expected one of: distributed_architecture)");
    }

    @Test
    void rootKeyTypoGetsASuggestion() {
        assertThat(errors("distributed-architecture:\n  groups:\n" + OK_GROUP)).containsExactly(
                "test.yaml: distributed_architecture: is required",
                "test.yaml: \"distributed-architecture\": unknown key \"distributed-architecture\" "
                        + "(did you mean \"distributed_architecture\"?)");
    }

    @Test
    void emptyFileAndNonMapRoot() {
        assertThat(errors("")).containsExactly(
                "test.yaml: the file is empty; it must start with \"distributed_architecture:\"");
        assertThat(errors("# only a comment\n")).containsExactly(
                "test.yaml: the file is empty; it must start with \"distributed_architecture:\"");
        assertThat(errors("- a\n- b\n")).containsExactly(
                "test.yaml: the file must hold a map with the key \"distributed_architecture\" (got a list)");
    }

    @Test
    void atLeastOneGroup() {
        String message = "test.yaml: distributed_architecture: defines no group: add at least one entry under groups "
                + "or queue_groups";
        assertThat(errors("distributed_architecture: ~\n")).containsExactly(message);
        assertThat(errors("distributed_architecture:\n  groups: {}\n  queue_groups: ~\n")).containsExactly(message);
        assertThat(errors("distributed_architecture: []\n"))
                .containsExactly("test.yaml: distributed_architecture: must be a map (got an empty list)");
    }

    @Test
    void unknownKeyWithDidYouMean() {
        assertThat(errors(group("      command: run\n      local:\n        instance_count: 2\n"))).containsExactly(
                G + ".local.instance_count: unknown key \"instance_count\" (did you mean \"instances_count\"?)");
        assertThat(errors(group("      command: run\n      local: ~\n      Bin-Path: /x\n"))).containsExactly(
                G + ".\"Bin-Path\": unknown key \"Bin-Path\" (did you mean \"bin_path\"?)");
        assertThat(errors(group("      command: run\n      local: ~\n      restrat: {}\n"))).containsExactly(
                G + ".restrat: unknown key \"restrat\" (did you mean \"restart\"?)");
    }

    @Test
    void unknownKeyWithoutCloseMatchListsTheAllowedKeys() {
        assertThat(errors(group("      command: run\n      local:\n        color: blue\n"))).containsExactly(
                G + ".local.color: unknown key \"color\" (expected one of: instances_count, bin_path, path, "
                        + "priority, timeout)");
    }

    @Test
    void duplicateGroupNameAcrossGroupsAndQueueGroups() {
        String yaml = """
                distributed_architecture:
                  groups:
                    Shared:
                      command: run
                      local: ~
                  queue_groups:
                    Shared:
                      command: work
                      local_feeder: {bind_to: a}
                      consumers: {local: {host: a}}
                """;
        assertThat(errors(yaml)).containsExactly("test.yaml: distributed_architecture.queue_groups.Shared: "
                + "Duplicate group name for Shared (already defined at distributed_architecture.groups.Shared); "
                + "names must be unique across groups and queue_groups");
    }

    @Test
    void duplicateYamlKeysAreReportedWithTheirLines() {
        String yaml = """
                distributed_architecture:
                  groups:
                    G:
                      command: run
                      local: ~
                      command: other
                    G:
                      command: again
                      local: ~
                """;
        assertThat(errors(yaml)).containsExactly(
                G + ".command: duplicate key \"command\" on line 6 (first defined on line 4); "
                        + "a key may appear only once in a map",
                G + ": duplicate key \"G\" on line 7 (first defined on line 3); a key may appear only once in a map");
    }

    @Test
    void yamlSyntaxErrorHasLineAndColumn() {
        String yaml = "distributed_architecture:\n  groups:\n    G:\n      command: run\n     local: ~\n";
        ConfigException e = (ConfigException) catchThrowable(yaml);
        assertThat(e.errors()).singleElement().satisfies(error -> {
            assertThat(error.line()).isEqualTo(5);
            assertThat(error.column()).isEqualTo(6);
            assertThat(error.keyPath()).isEmpty();
            assertThat(error.message()).startsWith("YAML syntax error: ");
        });
        assertThat(e.getMessage()).startsWith("test.yaml:5:6: YAML syntax error: ").doesNotContain("\n");
    }

    @Test
    void tabIndentationPointsAtTheTab() {
        assertThat(errors("distributed_architecture:\n\tgroups: {}\n")).singleElement().asString()
                .startsWith("test.yaml:2:1: YAML syntax error: ").contains("TAB");
    }

    @Test
    void unclosedQuoteIsASyntaxError() {
        assertThat(errors("distributed_architecture:\n  groups:\n    G:\n      command: \"run\n"))
                .singleElement().asString().matches("test\\.yaml:\\d+:\\d+: YAML syntax error: .+");
    }

    @Test
    void anchorsAndAliasesAreReplayed() {
        String yaml = """
                distributed_architecture:
                  groups:
                    A:
                      command: run
                      remote: &hosts
                        - hosts: [h1, h2]
                    B:
                      command: run
                      remote: *hosts
                """;
        DistarchConfig config = Yaml.load(yaml);
        assertThat(config.groups().get(1).remote()).isEqualTo(config.groups().get(0).remote());
    }

    @Test
    void severalErrorsAreAllReportedInFileOrder() {
        String yaml = """
                distributed_architecture:
                  groups:
                    A:
                      local: {instances_count: 0}
                      remote:
                        - hosts: []
                    B:
                      command: run
                      priority: 20
                      local: ~
                      colour: red
                  queue_groups:
                    C:
                      command: work
                      local_feeder: {bind_to: x, port: 0}
                """;
        ConfigException e = (ConfigException) catchThrowable(yaml);
        assertThat(e.getMessage().lines()).containsExactly(
                "test.yaml: distributed_architecture.groups.A.command: is required",
                "test.yaml: distributed_architecture.groups.A.local.instances_count: must be at least 1 (got 0)",
                "test.yaml: distributed_architecture.groups.A.remote[0].hosts: must not be empty: list at least 1 host",
                "test.yaml: distributed_architecture.groups.B.priority: must be between -19 and 19 (got 20)",
                "test.yaml: distributed_architecture.groups.B.colour: unknown key \"colour\" (expected one of: command, "
                        + "bin_path, path, priority, timeout, params, restart, stop_timeout, max_memory, autorestart, "
                        + "exit_codes, stop_signal, environment, user, umask, autostart, restart_strategy, "
                        + "rolling_batch, rolling_healthy_time, restart_every, restart_cron, logs, local, remote)",
                "test.yaml: distributed_architecture.queue_groups.C.consumers: is required",
                "test.yaml: distributed_architecture.queue_groups.C.local_feeder.port: must be between 1 and 65535 "
                        + "(got 0)");
    }

    @Test
    void missingFileNamesThePath(@TempDir Path dir) {
        Path file = dir.resolve("config/packages/distributed_architecture.yaml");
        assertThatThrownBy(() -> ConfigLoader.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ": configuration file not found: " + file.toAbsolutePath());
    }

    @Test
    void directoryIsNotAFile(@TempDir Path dir) {
        assertThatThrownBy(() -> ConfigLoader.load(dir))
                .isInstanceOf(ConfigException.class)
                .hasMessage(dir + ": is a directory, not a configuration file");
    }

    @Test
    void loadReadsAFileAndNamesItInErrors(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("da.yaml");
        Files.writeString(file, group("      command: run\n      local: {instances_count: 0}\n"));
        assertThatThrownBy(() -> ConfigLoader.load(file)).hasMessage(
                file + ": distributed_architecture.groups.G.local.instances_count: must be at least 1 (got 0)");
        Files.writeString(file, group("      command: run\n      local: ~\n"));
        assertThat(ConfigLoader.load(file).source()).isEqualTo(file.toString());
    }

    @Test
    void defaultPathIsTheOriginalOne() {
        assertThat(ConfigLoader.DEFAULT_PATH).isEqualTo("config/packages/distributed_architecture.yaml");
    }

    private static Throwable catchThrowable(String yaml) {
        return org.assertj.core.api.Assertions.catchThrowable(() -> Yaml.load(yaml));
    }
}
