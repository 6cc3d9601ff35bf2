package org.distarch.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.distarch.config.Yaml.errors;
import static org.distarch.config.Yaml.group;
import static org.distarch.config.Yaml.load;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The rules on {@code groups:} entries, each asserted with the exact line a user reads. */
class GroupValidationTest {

    private static final String G = "test.yaml: distributed_architecture.groups.G";

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            instances_count: 0    | local.instances_count: must be at least 1 (got 0)
            instances_count: -3   | local.instances_count: must be at least 1 (got -3)
            priority: 20          | local.priority: must be between -19 and 19 (got 20)
            priority: -20         | local.priority: must be between -19 and 19 (got -20)
            timeout: 4            | local.timeout: must be at least 5, or 0 or none to turn it off (got 4)
            instances_count: two  | local.instances_count: must be an integer (got "two")
            instances_count: 1.5  | local.instances_count: must be an integer (got 1.5)
            instances_count: true | local.instances_count: must be an integer (got true)
            instances_count: [1]  | local.instances_count: must be an integer (got a list)
            priority: 99999999999 | local.priority: must be between -19 and 19 (got 99999999999)
            bin_path: [a, b]      | local.bin_path: must be a string (got a list)
            """)
    void localEntryBounds(String line, String expected) {
        assertThat(errors(group("      command: run\n      local:\n        " + line + "\n")))
                .containsExactly(G + "." + expected);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            priority: 20            | priority: must be between -19 and 19 (got 20)
            priority: -20           | priority: must be between -19 and 19 (got -20)
            timeout: 4              | timeout: must be at least 5, or 0 or none to turn it off (got 4)
            stop_timeout: 0         | stop_timeout: must be at least 1 (got 0)
            params: [a]             | params: must be a map (got a list)
            params: x               | params: must be a map (got "x")
            command: ''             | command: must not be blank
            command: ~              | command: is required
            command: {a: b}         | command: must be a string (got a map)
            restart: 5              | restart: must be a map (got 5)
            max_memory: lots        | max_memory: must be a size such as 512M, 2G or 1048576 (got "lots")
            max_memory: 0           | max_memory: must be a size such as 512M, 2G or 1048576 (got "0")
            """)
    void groupLevelBounds(String line, String expected) {
        String command = line.startsWith("command:") ? "" : "      command: run\n";
        assertThat(errors(group(command + "      local: ~\n      " + line + "\n")))
                .containsExactly(G + "." + expected);
    }

    @ParameterizedTest(name = "{0} = {1} bytes")
    @CsvSource({"1048576, 1048576", "512K, 524288", "512M, 536870912", "2G, 2147483648", "1.5G, -1", "64MiB, 67108864"})
    void maxMemoryTakesHumanSizes(String text, long bytes) {
        String yaml = group("      command: run\n      local: ~\n      max_memory: " + text + "\n");
        if (bytes < 0) {
            assertThat(errors(yaml)).hasSize(1);
        } else {
            assertThat(load(yaml).groups().get(0).maxMemoryBytes()).isEqualTo(bytes);
        }
    }

    @Test
    void maxMemoryIsUnsetByDefault() {
        assertThat(load(group("      command: run\n      local: ~\n")).groups().get(0).maxMemoryBytes()).isNull();
    }

    @Test
    void missingCommandIsRequired() {
        assertThat(errors(group("      local: ~\n"))).containsExactly(G + ".command: is required");
    }

    @Test
    void remoteBoundsCarryTheListIndex() {
        String yaml = group("""
                      command: run
                      remote:
                        - hosts: [a]
                        - instances_count: 0
                          priority: 20
                          hosts: [b, '', {x: 1}]
                        - hosts: []
                        - hosts: single-host
                        - instances_count: 2
                """);
        assertThat(errors(yaml)).containsExactly(
                G + ".remote[1].instances_count: must be at least 1 (got 0)",
                G + ".remote[1].priority: must be between -19 and 19 (got 20)",
                G + ".remote[1].hosts[1]: must be a host name (got \"\")",
                G + ".remote[1].hosts[2]: must be a host name (got a map)",
                G + ".remote[2].hosts: must not be empty: list at least 1 host",
                G + ".remote[3].hosts: must be a list of host names (got \"single-host\")",
                G + ".remote[4].hosts: is required");
    }

    @Test
    void remoteMustBeAListOfMaps() {
        assertThat(errors(group("      command: run\n      remote:\n        hosts: [a]\n"))).containsExactly(
                G + ".remote: must be a list of maps, each element starting with \"- \" (got a map)");
        assertThat(errors(group("      command: run\n      remote:\n        - a\n        - hosts: [b]\n")))
                .containsExactly(G + ".remote[0]: must be a map (got \"a\")");
    }

    @Test
    void aGroupMustRunSomething() {
        assertThat(errors(group("      command: run\n"))).containsExactly(G + ": runs no process: add local or remote");
        assertThat(errors(group("      command: run\n      remote: []\n")))
                .containsExactly(G + ": runs no process: add local or remote");
    }

    @Test
    void localAsNullOrEmptyMapMeansOneInstanceWithDefaults() {
        for (String local : List.of("local: ~", "local: {}", "local:")) {
            GroupConfig group = load(group("      command: run\n      " + local + "\n")).groups().get(0);
            assertThat(group.local()).as(local).isEqualTo(new LocalEntry(1, ProcessSettings.NONE));
            assertThat(group.remote()).isEmpty();
        }
    }

    @Test
    void groupWithoutLocalHasNullLocal() {
        GroupConfig group = load(group("      command: run\n      remote: [{hosts: [h]}]\n")).groups().get(0);
        assertThat(group.local()).isNull();
        assertThat(group.remote()).containsExactly(new RemoteEntry(1, null, null, ProcessSettings.NONE, List.of("h")));
    }

    @Test
    void groupValueMustBeAMap() {
        assertThat(errors("distributed_architecture:\n  groups:\n    G: run\n"))
                .containsExactly(G + ": must be a map (got \"run\")");
        assertThat(errors("distributed_architecture:\n  groups: [a]\n"))
                .containsExactly("test.yaml: distributed_architecture.groups: must be a map of name: settings (got a list)");
    }

    @Test
    void emptyGroupReportsBothMissingParts() {
        assertThat(errors("distributed_architecture:\n  groups:\n    G: ~\n")).containsExactly(
                G + ".command: is required",
                G + ": runs no process: add local or remote");
    }

    @Test
    void blankGroupNameIsRejected() {
        assertThat(errors("distributed_architecture:\n  groups:\n    '': {command: run, local: ~}\n"))
                .containsExactly("test.yaml: distributed_architecture.groups.\"\": the group name must not be blank");
    }

    @Test
    void groupNamesThatAreNotIdentifiersAreQuotedInPaths() {
        String yaml = "distributed_architecture:\n  groups:\n    First Group:\n      command: run\n"
                + "      local: {instances_count: 0}\n";
        assertThat(errors(yaml)).containsExactly("test.yaml: distributed_architecture.groups.\"First Group\""
                + ".local.instances_count: must be at least 1 (got 0)");
    }

    @Test
    void paramsKeepOrderTypesAndNulls() {
        String yaml = group("""
                      command: run
                      local: ~
                      params:
                        zeta: text
                        alpha: 42
                        big: 9000000000
                        ratio: 0.5
                        on: true
                        nothing: ~
                        list: [1, two]
                        nested: {b: 1, a: [x]}
                        quoted: "7"
                """);
        Map<String, Object> params = load(yaml).groups().get(0).params();
        assertThat(params.keySet())
                .containsExactly("zeta", "alpha", "big", "ratio", "on", "nothing", "list", "nested", "quoted");
        assertThat(params.get("zeta")).isEqualTo("text");
        assertThat(params.get("alpha")).isEqualTo(42);
        assertThat(params.get("big")).isEqualTo(9_000_000_000L);
        assertThat(params.get("ratio")).isEqualTo(0.5);
        assertThat(params.get("on")).isEqualTo(true);
        assertThat(params).containsEntry("nothing", null);
        assertThat(params.get("list")).isEqualTo(Arrays.asList(1, "two"));
        assertThat(params.get("nested")).isEqualTo(Map.of("b", 1, "a", List.of("x")));
        assertThat(params.get("quoted")).isEqualTo("7");
    }

    @Test
    void restartDefaultsEqualTheRecordDefault() {
        GroupConfig group = load(group("      command: run\n      local: ~\n      restart: {}\n")).groups().get(0);
        assertThat(group.restart()).isEqualTo(RestartConfig.DEFAULT);
    }

    @Test
    void restartAndStopTimeoutAreRead() {
        String yaml = group("""
                      command: run
                      local: ~
                      stop_timeout: 3
                      restart:
                        initial_backoff: 0.5
                        max_backoff: 30
                        multiplier: 1.5
                        jitter: 0
                        reset_after: 120
                        max_failures: 10
                """);
        GroupConfig group = load(yaml).groups().get(0);
        assertThat(group.stopTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(group.restart()).isEqualTo(new RestartConfig(Duration.ofMillis(500), Duration.ofSeconds(30), 1.5,
                0.0, Duration.ofSeconds(120), 10));
    }

    @Test
    void restartBounds() {
        String yaml = group("""
                      command: run
                      local: ~
                      restart:
                        initial_backoff: 0
                        multiplier: 0.5
                        jitter: 1.5
                        reset_after: -1
                        max_failures: 0
                """);
        String r = G + ".restart.";
        assertThat(errors(yaml)).containsExactly(
                r + "initial_backoff: must be greater than 0 (got 0)",
                r + "multiplier: must be at least 1 (got 0.5)",
                r + "jitter: must be between 0 and 1 (got 1.5)",
                r + "reset_after: must be greater than 0 (got -1)",
                r + "max_failures: must be at least 1 (got 0)");
    }

    @Test
    void maxBackoffMustNotBeBelowInitialBackoff() {
        String yaml = group("      command: run\n      local: ~\n      restart: {initial_backoff: 10, max_backoff: 5}\n");
        assertThat(errors(yaml)).containsExactly(G + ".restart.max_backoff: must be at least initial_backoff, 10 (got 5)");
        String bad = group("      command: run\n      local: ~\n      restart: {initial_backoff: 90, max_backoff: x}\n");
        assertThat(errors(bad)).containsExactly(G + ".restart.max_backoff: must be a number (got \"x\")");
    }

    @Test
    void emptyStringOrNullOptionalValueMeansNotSet() {
        GroupConfig group = load(group("      command: run\n      bin_path: ''\n      priority: ~\n      local: ~\n"))
                .groups().get(0);
        assertThat(group.settings()).isEqualTo(ProcessSettings.NONE);
    }

    @Test
    void numbersWrittenAsStringsAreAccepted() {
        GroupConfig group = load(group("      command: run\n      priority: '-5'\n      local: {instances_count: \"3\"}\n"))
                .groups().get(0);
        assertThat(group.settings().priority()).isEqualTo(-5);
        assertThat(group.local().instancesCount()).isEqualTo(3);
    }

    @Test
    void scalarsAreAcceptedAsStrings() {
        GroupConfig group = load(group("      command: 42\n      path: 1.5\n      local: ~\n")).groups().get(0);
        assertThat(group.command()).isEqualTo("42");
        assertThat(group.settings().path()).isEqualTo("1.5");
    }
}
