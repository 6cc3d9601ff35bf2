package org.distarch.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A configuration another framework read (Spring Boot's relaxed binding): the same records and errors as a file. */
class FromTreeTest {

    private static final String FILE = """
            distributed_architecture:
              groups:
                First Group:
                  command: app:test
                  params: {someKey: 1, other-key: 2}
                  local: {instances_count: 2}
                  remote:
                    - instances_count: 3
                      hosts: [h1, h2]
            """;

    @Test
    void relaxedSpellingsGiveTheConfigurationOfTheSeedFile() {
        DistarchConfig fromFile = ConfigLoader.parse(FILE, "application.yaml", name -> null);
        for (String spelling : List.of("instances_count", "instances-count", "instancesCount")) {
            Map<String, Object> tree = Map.of("groups", Map.of("First Group", Map.of(
                    "command", "app:test",
                    "params", Map.of("someKey", 1, "other-key", 2),
                    "local", Map.of(spelling, "2"),
                    "remote", List.of(Map.of(spelling, 3, "hosts", List.of("h1", "h2"))))));
            assertThat(ConfigLoader.fromTree(tree, "application.yaml", name -> null))
                    .as(spelling).isEqualTo(fromFile);
        }
    }

    @Test
    void groupNamesAndParamsKeepTheirSpelling() {
        Map<String, Object> tree = Map.of("groups", Map.of("my-Group", Map.of("command", "c",
                "params", Map.of("camelCase", "x"), "local", Map.of("instances-count", 1))));
        GroupConfig group = ConfigLoader.fromTree(tree, "application.yaml", name -> null).groups().get(0);
        assertThat(group.name()).isEqualTo("my-Group");
        assertThat(group.params()).containsExactly(Map.entry("camelCase", "x"));
    }

    @Test
    void errorsNameTheSourceAndTheKeyPathAsForAFile() {
        Map<String, Object> tree = Map.of("groups", Map.of("First Group", Map.of("command", "c",
                "local", Map.of("instances-count", 0, "instance_count", 1))));
        assertThatThrownBy(() -> ConfigLoader.fromTree(tree, "application.yaml", name -> null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("application.yaml: distributed_architecture.groups.\"First Group\".local"
                        + ".instances_count: must be at least 1 (got 0)")
                .hasMessageContaining("application.yaml: distributed_architecture.groups.\"First Group\".local"
                        + ".instance_count: unknown key \"instance_count\" (did you mean \"instances_count\"?)");
    }

    @Test
    void twoSpellingsOfOneKeyAreAnError() {
        Map<String, Object> tree = new java.util.LinkedHashMap<>();
        tree.put("groups", Map.of("G", Map.of("command", "c",
                "local", new java.util.TreeMap<>(Map.of("instances-count", 1, "instances_count", 2)))));
        assertThatThrownBy(() -> ConfigLoader.fromTree(tree, "application.yaml", name -> null))
                .hasMessageContaining("application.yaml: distributed_architecture.groups.G.local.instances_count: "
                        + "given twice, as \"instances-count\" and \"instances_count\"");
    }

    @Test
    void environmentVariablesAreResolvedAsInAFile() {
        Map<String, Object> tree = Map.of("groups", Map.of("G", Map.of("command", "${CMD}",
                "local", Map.of("instances-count", "${N:-4}"))));
        GroupConfig group = ConfigLoader.fromTree(tree, "application.yaml", name -> name.equals("CMD") ? "app:x" : null)
                .groups().get(0);
        assertThat(group.command()).isEqualTo("app:x");
        assertThat(group.local().instancesCount()).isEqualTo(4);
    }
}
