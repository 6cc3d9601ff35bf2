package org.distarch.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.distarch.config.ConfigException;
import org.distarch.config.ConfigLoader;
import org.distarch.config.DistarchConfig;
import org.distarch.spring.boot.DistarchProperties;
import org.distarch.spring.boot.SpringConfigSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ByteArrayResource;

/** The {@code distributed-architecture:} section of application.yaml, read as Spring Boot reads it. */
class SpringConfigSourceTest {

    private static final String SEED_FILE = """
            distributed_architecture:
              groups:
                First Group:
                  command: app:greet
                  params: {Param1: Value1}
                  local:
                    instances_count: 2
                  remote:
                    - instances_count: 3
                      hosts: [server-host-1, server-host-2]
              queue_groups:
                Orders:
                  command: app:orders
                  local_feeder: {bind_to: 127.0.0.1, port: 9999}
                  consumers: {local: {instances_count: 2}}
            """;

    @Test
    void relaxedSpellingsGiveTheSameConfigurationAsTheSeedFile() throws IOException {
        DistarchConfig seed = ConfigLoader.parse(SEED_FILE, "application.yaml", name -> null);
        for (String spelling : new String[] {"instances_count", "instances-count", "instancesCount"}) {
            String yaml = SEED_FILE.replace("distributed_architecture:", "distributed-architecture:")
                    .replace("instances_count", spelling);
            assertThat(load(yaml)).as(spelling).isEqualTo(seed);
        }
    }

    @Test
    void theSeedsOwnRootKeyWorksToo() throws IOException {
        assertThat(load(SEED_FILE)).isEqualTo(ConfigLoader.parse(SEED_FILE, "application.yaml", name -> null));
    }

    @Test
    void aBadKeyGivesTheSameKeyPathErrorAsTheCommandLine() {
        String yaml = SEED_FILE.replace("instances_count: 2\n", "instances-count: 0\n        priority: 40\n");
        assertThatThrownBy(() -> load(yaml)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("application.yaml: distributed_architecture.groups.\"First Group\".local."
                        + "instances_count: must be at least 1 (got 0)")
                .hasMessageContaining("application.yaml: distributed_architecture.groups.\"First Group\".local."
                        + "priority: must be between -19 and 19 (got 40)");
    }

    @Test
    void aSeedFileNamedByConfigFileIsLoadedAsByRunMaster() throws IOException {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("distarch", ".yaml");
        try {
            java.nio.file.Files.writeString(file, SEED_FILE);
            DistarchProperties properties = new DistarchProperties();
            properties.setConfigFile(file.toString());
            assertThat(new SpringConfigSource(new StandardEnvironment(), properties).get())
                    .isEqualTo(ConfigLoader.load(file));
        } finally {
            java.nio.file.Files.delete(file);
        }
    }

    @Test
    void noConfigurationAtAllSaysWhereToPutIt() {
        assertThatThrownBy(() -> new SpringConfigSource(new StandardEnvironment(), new DistarchProperties()).get())
                .hasMessageContaining("no distarch configuration: give the fleet under \"distributed-architecture:\"");
    }

    private static DistarchConfig load(String yaml) throws IOException {
        StandardEnvironment environment = new StandardEnvironment();
        new YamlPropertySourceLoader().load("Config resource 'class path resource [application.yaml]'",
                new ByteArrayResource(yaml.getBytes(StandardCharsets.UTF_8))).forEach(environment.getPropertySources()::addLast);
        return new SpringConfigSource(environment, new DistarchProperties()).get();
    }
}
