package org.distarch.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/** Spring's flattened properties back into the tree the seed's file would give. */
class PropertyTreeTest {

    @Test
    void namesIndexesAndBracketedKeys() {
        assertThat(PropertyTree.path("groups.First Group.remote[1].hosts[0]"))
                .containsExactly("groups", "First Group", "remote", 1, "hosts", 0);
        assertThat(PropertyTree.path("groups[a.b].command")).containsExactly("groups", "a.b", "command");
    }

    @Test
    void theHigherSourceWinsPerKeyAndListsAndMapsAreRebuilt() {
        StandardEnvironment environment = new StandardEnvironment();
        Map<String, Object> profile = new LinkedHashMap<>();
        profile.put("distributed-architecture.groups.G.local.instances-count", 4);
        Map<String, Object> base = new LinkedHashMap<>();
        base.put("distributed-architecture.groups.G.command", "app:g");
        base.put("distributed-architecture.groups.G.local.instances-count", 2);
        base.put("distributed-architecture.groups.G.remote[0].hosts[0]", "h1");
        base.put("distributed-architecture.groups.G.remote[0].hosts[1]", "h2");
        base.put("unrelated.key", "x");
        environment.getPropertySources().addFirst(new MapPropertySource("Config resource 'class path resource [application.yaml]'", base));
        environment.getPropertySources().addFirst(new MapPropertySource("Config resource 'class path resource [application-prod.yaml]'", profile));

        PropertyTree.Found found = PropertyTree.read(environment, SpringConfigSource.PREFIXES).orElseThrow();
        assertThat(found.source()).isEqualTo("application-prod.yaml");
        assertThat(found.tree()).isEqualTo(Map.of("groups", Map.of("G", Map.of(
                "local", Map.of("instances-count", 4),
                "command", "app:g",
                "remote", List.of(Map.of("hosts", List.of("h1", "h2")))))));
    }

    @Test
    void nothingUnderThePrefixIsNoConfiguration() {
        assertThat(PropertyTree.read(new StandardEnvironment(), SpringConfigSource.PREFIXES)).isEmpty();
    }
}
