package org.distarch.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.distarch.config.Yaml.errors;
import static org.distarch.config.Yaml.load;
import static org.distarch.config.Yaml.queueGroup;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code ${NAME}}, {@code ${NAME:-default}} and {@code $${} in string values, before any type check. */
class EnvSubstitutionTest {

    private static final String Q = "test.yaml: distributed_architecture.queue_groups.Q";

    private static String feederOn(String port) {
        return queueGroup("      command: ${CMD:-work}\n      local_feeder:\n        bind_to: ${BIND}\n"
                + "        port: " + port + "\n      consumers:\n        remote:\n          - host: ${BIND}\n"
                + "            hosts: [\"${HOST_A}\", \"b-${HOST_B:-two}\"]\n");
    }

    @Test
    void variablesAndDefaultsAreSubstituted() {
        QueueGroupConfig queue = load(feederOn("${FEEDER_PORT:-9999}"), Map.of("BIND", "10.1.1.1", "HOST_A", "a"))
                .queueGroups().get(0);
        assertThat(queue.command()).isEqualTo("work");
        assertThat(queue.feeder().bindTo()).isEqualTo("10.1.1.1");
        assertThat(queue.feeder().port()).isEqualTo(9999);
        assertThat(queue.remoteConsumers().get(0).hosts()).containsExactly("a", "b-two");
    }

    @Test
    void numbersCanComeFromTheEnvironment() {
        QueueGroupConfig queue = load(feederOn("${FEEDER_PORT:-9999}"),
                Map.of("BIND", "x", "HOST_A", "a", "FEEDER_PORT", "7777")).queueGroups().get(0);
        assertThat(queue.feeder().port()).isEqualTo(7777);
    }

    @Test
    void aNumberFromTheEnvironmentIsStillChecked() {
        assertThat(errors(feederOn("${FEEDER_PORT}"), Map.of("BIND", "x", "HOST_A", "a", "FEEDER_PORT", "80000")))
                .containsExactly(Q + ".local_feeder.port: must be between 1 and 65535 (got 80000)");
        assertThat(errors(feederOn("${FEEDER_PORT}"), Map.of("BIND", "x", "HOST_A", "a", "FEEDER_PORT", "high")))
                .containsExactly(Q + ".local_feeder.port: must be an integer (got \"high\")");
    }

    @Test
    void emptyVariableTakesTheDefaultAsInAShell() {
        assertThat(load(feederOn("${FEEDER_PORT:-1234}"), Map.of("BIND", "x", "HOST_A", "a", "FEEDER_PORT", ""))
                .queueGroups().get(0).feeder().port()).isEqualTo(1234);
    }

    @Test
    void unsetVariablesAreErrorsAtTheirKeyPath() {
        assertThat(errors(feederOn("9999"), Map.of())).containsExactly(
                Q + ".local_feeder.bind_to: environment variable BIND is not set "
                        + "(set it, or give a default: ${BIND:-default})",
                Q + ".consumers.remote[0].host: environment variable BIND is not set "
                        + "(set it, or give a default: ${BIND:-default})",
                Q + ".consumers.remote[0].hosts[0]: environment variable HOST_A is not set "
                        + "(set it, or give a default: ${HOST_A:-default})");
    }

    @Test
    void substitutionWorksInsideParams() {
        String yaml = Yaml.group("      command: run\n      local: ~\n      params:\n        db: ${DB_URL}\n"
                + "        list: [\"${DB_URL}/x\"]\n        nested: {user: \"${USER_NAME:-guest}\"}\n");
        Map<String, Object> params = load(yaml, Map.of("DB_URL", "pg://db")).groups().get(0).params();
        assertThat(params).containsEntry("db", "pg://db")
                .containsEntry("list", List.of("pg://db/x"))
                .containsEntry("nested", Map.of("user", "guest"));
    }

    @Test
    void doubleDollarEscapesAReference() {
        String yaml = Yaml.group("      command: echo $${HOME} costs $5 and ${X}\n      local: ~\n");
        assertThat(load(yaml, Map.of("X", "y")).groups().get(0).command()).isEqualTo("echo ${HOME} costs $5 and y");
    }

    @Test
    void malformedReferencesAreReported() {
        String g = "test.yaml: distributed_architecture.groups.G.command: ";
        assertThat(errors(Yaml.group("      command: run ${OOPS\n      local: ~\n"))).containsExactly(
                g + "unterminated environment variable reference \"${OOPS\" (write $${ for a literal ${)");
        assertThat(errors(Yaml.group("      command: run ${1BAD}\n      local: ~\n"))).containsExactly(
                g + "invalid environment variable reference \"${1BAD}\" (expected ${NAME} or ${NAME:-default}; "
                        + "write $${ for a literal ${)");
    }

    @Test
    void mapKeysAreNotSubstituted() {
        String yaml = Yaml.group("      command: run\n      local: ~\n      params: {\"${K}\": v}\n");
        assertThat(load(yaml).groups().get(0).params()).containsOnlyKeys("${K}");
    }

    @Test
    void defaultUsesTheProcessEnvironment() {
        String yaml = Yaml.group("      command: ${DISTARCH_SURELY_UNSET_VARIABLE:-fallback}\n      local: ~\n");
        assertThat(ConfigLoader.parse(yaml, "t.yaml").groups().get(0).command()).isEqualTo("fallback");
    }
}
