package org.distarch.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class KeyPathAndSuggestionsTest {

    @Test
    void pathsQuoteNonIdentifiersAndIndexLists() {
        KeyPath path = KeyPath.ROOT.key("distributed_architecture").key("groups").key("First Group")
                .key("remote").index(0).key("hosts").index(1);
        assertThat(path).hasToString("distributed_architecture.groups.\"First Group\".remote[0].hosts[1]");
        assertThat(KeyPath.ROOT.key("a\"b").key("_x1")).hasToString("\"a\\\"b\"._x1");
        assertThat(KeyPath.ROOT.key("1st")).hasToString("\"1st\"");
        assertThat(path.parent().parent()).hasToString("distributed_architecture.groups.\"First Group\".remote[0]");
        assertThat(KeyPath.ROOT.isRoot()).isTrue();
    }

    @Test
    void suggestions() {
        List<String> known = List.of("instances_count", "bin_path", "hosts", "host", "port");
        assertThat(Suggestions.closest("instance_count", known)).contains("instances_count");
        assertThat(Suggestions.closest("INSTANCES-COUNT", known)).contains("instances_count");
        assertThat(Suggestions.closest("binpath", known)).contains("bin_path");
        assertThat(Suggestions.closest("prot", known)).contains("port");
        assertThat(Suggestions.closest("colour", known)).isEmpty();
        assertThat(Suggestions.distance("kitten", "sitting")).isEqualTo(3);
    }

    @Test
    void errorFormats() {
        assertThat(ConfigError.at("f.yaml", "a.b", "bad")).hasToString("f.yaml: a.b: bad");
        assertThat(ConfigError.at("f.yaml", "", "bad").format()).isEqualTo("f.yaml: bad");
        assertThat(new ConfigError("f.yaml", "", "YAML syntax error: x", 3, 7).format())
                .isEqualTo("f.yaml:3:7: YAML syntax error: x");
        ConfigException e = new ConfigException(List.of(ConfigError.at("f", "a", "one"), ConfigError.at("f", "b", "two")));
        assertThat(e.getMessage()).isEqualTo("f: a: one\nf: b: two");
    }
}
