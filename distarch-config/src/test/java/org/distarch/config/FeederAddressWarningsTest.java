package org.distarch.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.distarch.config.Yaml.load;
import static org.distarch.config.Yaml.queueGroup;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Consumers that point at their feeder's address but another port: valid, with a warning at the port's key. */
class FeederAddressWarningsTest {

    private static final String Q = "test.yaml: distributed_architecture.queue_groups.Q.consumers.";

    private static List<String> warnings(String yaml) {
        return load(yaml).warnings().stream().map(ConfigWarning::format).toList();
    }

    @Test
    void aLocalConsumerOnTheFeedersAddressButAnotherPortIsWarnedAbout() {
        assertThat(warnings(queueGroup("""
                      command: work
                      local_feeder: {bind_to: 10.0.0.1, port: 7000}
                      consumers:
                        local: {host: 10.0.0.1, port: 7001}
                        remote:
                          - {host: 10.0.0.1, port: 7000, hosts: [h1]}
                          - {host: 10.0.0.1, port: 7002, hosts: [h2]}
                """))).containsExactly(
                Q + "local.port: 7001, but the group's feeder listens on port 7000 (consumers of another feeder?)",
                Q + "remote[1].port: 7002, but the group's feeder listens on port 7000 (consumers of another feeder?)");
    }

    @Test
    void theDefaultsNeverWarn() {
        // bind_to and host default to localhost, the consumers' port to the feeder's
        assertThat(warnings(queueGroup("      command: work\n      local_feeder: {port: 7000}\n"
                + "      consumers:\n        local: ~\n        remote: [{hosts: [h1]}]\n"))).isEmpty();
    }

    @Test
    void anotherAddressIsAnotherFeederAndNoWarning() {
        assertThat(warnings(queueGroup("      command: work\n      local_feeder: {bind_to: 10.0.0.1, port: 7000}\n"
                + "      consumers:\n        local: {host: 10.0.0.2, port: 7001}\n"))).isEmpty();
    }

    @ParameterizedTest(name = "feeder {0}, consumers {1}: warned {2}")
    @CsvSource(textBlock = """
            localhost,      127.0.0.1,      true
            127.0.0.1,      localhost,      true
            0.0.0.0,        localhost,      true
            '::1',          LOCALHOST,      true
            '[::1]',        '::1',          true
            Feeder.Example, feeder.example, true
            0.0.0.0,        10.0.0.1,       false
            10.0.0.1,       localhost,      false
            """)
    void loopbackAndWildcardAddressesCountAsTheFeedersMachine(String bindTo, String host, boolean warned) {
        FeederConfig feeder = new FeederConfig(bindTo, 7000, ProcessSettings.NONE, null, null, null);
        assertThat(FeederAddresses.mismatched(host, 7001, feeder)).isEqualTo(warned);
        assertThat(FeederAddresses.mismatched(host, 7000, feeder)).isFalse();
    }

    @Test
    void consumersNamingARemoteFeedersHostAreOnItsMachine() {
        assertThat(warnings(queueGroup("""
                      command: work
                      remote_feeder: {bind_to: 0.0.0.0, port: 7000, hosts: [feeder-host]}
                      consumers:
                        remote:
                          - {host: feeder-host, port: 9999, hosts: [c1]}
                """))).containsExactly(Q + "remote[0].port: 9999, but the group's feeder listens on port 7000 "
                + "(consumers of another feeder?)");
    }

    @Test
    void aFileWithoutQueueGroupsHasNoWarnings() {
        assertThat(load(Yaml.group("      command: run\n      local: ~\n")).warnings()).isEmpty();
    }
}
