package org.distarch.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The reference is printed from the validator's own key table, so it can neither miss nor invent a key. */
class ConfigReferenceTest {

    private final String reference = ConfigReference.render();

    @Test
    void everyKeyOfTheTableAppearsWithItsDefaultAndRule() {
        List<Key> keys = new ArrayList<>();
        collect(Schema.FILE, keys);
        for (Key key : keys) {
            if (key.section() != null) {
                assertThat(reference).containsPattern("(?m)^ *" + Pattern.quote(key.name()) + ":$");
            } else {
                String shown = key.defaultValue() == null ? "~" : key.defaultValue() instanceof Number number
                        ? Key.format(number) : key.defaultValue().toString();
                if (key.kind() == Key.Kind.HOSTS) {
                    shown = "[]";
                } else if (key.kind() == Key.Kind.PARAMS || key.kind() == Key.Kind.ENVIRONMENT) {
                    shown = "{}";
                } else if (key.kind() == Key.Kind.EXIT_CODES) {
                    shown = "[0]";
                }
                assertThat(reference).as(key.name()).containsPattern("(?m)^ *" + Pattern.quote(key.name())
                        + ": +" + Pattern.quote(shown) + " # " + (key.required() ? "Required, " : "")
                        + Pattern.quote(key.rule()) + "$");
            }
            assertThat(reference).contains("# " + key.description());
        }
    }

    @Test
    void showsTheDocumentedDefaults() {
        assertThat(reference)
                .containsPattern("instances_count: +1 # integer, at least 1")
                .containsPattern("port: +9999 # integer, 1 to 65535")
                .containsPattern("priority: +~ # integer, -19 to 19")
                .containsPattern("timeout: +~ # integer, at least 5, or 0 or none \\(off\\)")
                .containsPattern("autorestart: +on-failure # string")
                .containsPattern("exit_codes: +\\[0\\] # list of exit codes, 0 to 255")
                .containsPattern("stop_signal: +TERM # string")
                .containsPattern("environment: +\\{\\} # map of NAME: value")
                .containsPattern("stop_timeout: +10 # integer, at least 1")
                .containsPattern("initial_backoff: +1 # number, greater than 0")
                .containsPattern("max_backoff: +60 ")
                .containsPattern("multiplier: +2 # number, at least 1")
                .containsPattern("jitter: +0.2 # number, 0 to 1")
                .containsPattern("reset_after: +60 ")
                .containsPattern("max_failures: +5 # integer, at least 1")
                .containsPattern("command: +~ # Required, string")
                .containsPattern("hosts: +\\[\\] # Required, list of exactly 1 host");
    }

    @Test
    void showsTheSeedsLocalhostDefaultsAndThatAConsumersPortFollowsItsFeeder() {
        String feeders = reference.substring(reference.indexOf("local_feeder:"), reference.indexOf("consumers:"));
        assertThat(feeders).containsPattern("(?m)^ +bind_to: +localhost # string$")
                .doesNotContain("bind_to:             ~");
        String consumers = reference.substring(reference.indexOf("consumers:"));
        assertThat(consumers.lines().filter(line -> line.matches(" +host: +localhost # string"))).hasSize(2);
        assertThat(consumers.lines().filter(line -> line.matches(" +port: +~ # integer, 1 to 65535"))).hasSize(2);
        assertThat(consumers).contains("# Port of the feeder; default: the port of the group's own feeder");
    }

    @Test
    void theTableDefaultsAreTheRecordDefaults() {
        assertThat(Schema.RESTART.key("initial_backoff").defaultNumber())
                .isEqualTo(RestartConfig.DEFAULT.initialBackoff().toMillis() / 1000.0);
        GroupConfig group = Yaml.load(Yaml.group("      command: run\n      local: ~\n      restart: {}\n"))
                .groups().get(0);
        assertThat(group.restart()).isEqualTo(RestartConfig.DEFAULT);
    }

    @Test
    void everyKeyInTheReferenceIsAcceptedByTheValidator() {
        // The reference is YAML: loading it through the real loader must raise no "unknown key" error at all.
        ConfigException e = (ConfigException) org.assertj.core.api.Assertions.catchThrowable(
                () -> ConfigLoader.parse(reference, "reference.yaml", Yaml.NO_ENV));
        assertThat(e.errors()).isNotEmpty().noneMatch(error -> error.message().startsWith("unknown key"));
        // and it holds exactly the table's keys, section by section
        JsonNode tree = YamlTree.read(reference, new Problems("reference.yaml"));
        assertSameKeys(tree, Schema.FILE, "");
    }

    @Test
    void referenceIsValidYamlWithoutTabs() {
        Problems problems = new Problems("reference.yaml");
        assertThat(YamlTree.read(reference, problems)).isNotNull();
        assertThat(problems.isEmpty()).isTrue();
        assertThat(reference).doesNotContain("\t").endsWith("\n");
    }

    @Test
    void userDocumentationMentionsEveryKey() throws Exception {
        Path doc = Path.of("../docs/configuration.md");
        assumeTrue(Files.exists(doc), "docs/configuration.md is outside this module's build");
        String text = Files.readString(doc);
        List<Key> keys = new ArrayList<>();
        collect(Schema.FILE, keys);
        for (Key key : keys) {
            assertThat(text).as(key.name()).contains("`" + key.name() + "`");
        }
    }

    private static void assertSameKeys(JsonNode node, Section section, String where) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        assertThat(names).as(where).containsExactlyElementsOf(section.names());
        for (Key key : section.keys()) {
            JsonNode value = node.get(key.name());
            switch (key.kind()) {
                case MAP -> assertSameKeys(value, key.section(), where + "." + key.name());
                case LIST -> assertSameKeys(value.get(0), key.section(), where + "." + key.name() + "[0]");
                case NAMED -> {
                    Map.Entry<String, JsonNode> entry = value.properties().iterator().next();
                    assertSameKeys(entry.getValue(), key.section(), where + "." + key.name() + ".*");
                }
                default -> { }
            }
        }
    }

    private static void collect(Section section, List<Key> into) {
        for (Key key : section.keys()) {
            into.add(key);
            if (key.section() != null) {
                collect(key.section(), into);
            }
        }
    }
}
