package org.distarch.config;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Test helpers: load YAML text and get the config, or the error lines a user would read. */
final class Yaml {

    static final String SOURCE = "test.yaml";
    static final Function<String, String> NO_ENV = name -> null;

    private Yaml() {}

    static DistarchConfig load(String yaml) {
        return ConfigLoader.parse(yaml, SOURCE, NO_ENV);
    }

    static DistarchConfig load(String yaml, Map<String, String> env) {
        return ConfigLoader.parse(yaml, SOURCE, env::get);
    }

    static List<String> errors(String yaml) {
        return errors(yaml, Map.of());
    }

    /** The formatted errors of {@code yaml}; fails when it loads. */
    static List<String> errors(String yaml, Map<String, String> env) {
        ConfigException[] thrown = new ConfigException[1];
        assertThatThrownBy(() -> ConfigLoader.parse(yaml, SOURCE, env::get))
                .isInstanceOfSatisfying(ConfigException.class, e -> thrown[0] = e);
        return thrown[0].errors().stream().map(ConfigError::format).toList();
    }

    /** A file with one group {@code G} whose body is {@code body} (indented by the caller at 6 spaces). */
    static String group(String body) {
        return "distributed_architecture:\n  groups:\n    G:\n" + body;
    }

    /** A file with one queue group {@code Q} whose body is {@code body} (indented at 6 spaces). */
    static String queueGroup(String body) {
        return "distributed_architecture:\n  queue_groups:\n    Q:\n" + body;
    }
}
