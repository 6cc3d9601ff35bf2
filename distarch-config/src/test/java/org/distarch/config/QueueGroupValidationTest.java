package org.distarch.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.distarch.config.Yaml.errors;
import static org.distarch.config.Yaml.load;
import static org.distarch.config.Yaml.queueGroup;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The rules on {@code queue_groups:} entries: one feeder, at least one consumer, ports, hosts. */
class QueueGroupValidationTest {

    private static final String Q = "test.yaml: distributed_architecture.queue_groups.Q";
    private static final String CONSUMERS = "      consumers:\n        local: {host: 10.0.0.1}\n";

    @Test
    void remoteFeederTakesItsSingleHost() {
        QueueGroupConfig queue = load(queueGroup("""
                      command: work
                      remote_feeder:
                        bind_to: 0.0.0.0
                        port: 7000
                        username: feeder
                        private_key: /keys/id
                        timeout: 10
                        hosts: [feeder-host]
                      consumers:
                        remote:
                          - host: feeder-host
                            port: 7000
                            instances_count: 3
                            username: worker
                            hosts: [c1, c2]
                """)).queueGroups().get(0);
        assertThat(queue.feeder()).isEqualTo(new FeederConfig("0.0.0.0", 7000,
                new ProcessSettings(null, null, null, 10), "feeder-host", "feeder", "/keys/id"));
        assertThat(queue.feeder().isRemote()).isTrue();
        assertThat(queue.localConsumers()).isNull();
        assertThat(queue.remoteConsumers()).containsExactly(new RemoteConsumers(3, "feeder-host", 7000, "worker", null,
                ProcessSettings.NONE, List.of("c1", "c2")));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            port: 0         | local_feeder.port: must be between 1 and 65535 (got 0)
            port: 70000     | local_feeder.port: must be between 1 and 65535 (got 70000)
            port: http      | local_feeder.port: must be an integer (got "http")
            priority: 20    | local_feeder.priority: must be between -19 and 19 (got 20)
            timeout: 4      | local_feeder.timeout: must be at least 5, or 0 or none to turn it off (got 4)
            bind_to: [a]    | local_feeder.bind_to: must be a string (got a list)
            """)
    void localFeederBounds(String line, String expected) {
        String feeder = line.startsWith("bind_to") ? "" : "        bind_to: 127.0.0.1\n";
        String yaml = queueGroup("      command: work\n      local_feeder:\n" + feeder + "        " + line + "\n"
                + CONSUMERS);
        assertThat(errors(yaml)).containsExactly(Q + "." + expected);
    }

    @Test
    void addressesDefaultToLocalhostAsInTheSeed() {
        QueueGroupConfig queue = load(queueGroup("""
                      command: work
                      local_feeder: ~
                      consumers:
                        local: ~
                        remote:
                          - hosts: [h1]
                """)).queueGroups().get(0);
        assertThat(queue.feeder()).isEqualTo(new FeederConfig("localhost", 9999, ProcessSettings.NONE, null, null,
                null));
        assertThat(queue.localConsumers()).isEqualTo(new LocalConsumers(1, "localhost", 9999, ProcessSettings.NONE));
        assertThat(queue.remoteConsumers()).containsExactly(new RemoteConsumers(1, "localhost", 9999, null, null,
                ProcessSettings.NONE, List.of("h1")));
        QueueGroupConfig remote = load(queueGroup("      command: work\n"
                + "      remote_feeder: {bind_to: '', hosts: [f]}\n      consumers:\n        local: {host: ~}\n"))
                .queueGroups().get(0);
        assertThat(remote.feeder().bindTo()).isEqualTo("localhost"); // blank means not set, as for every key
        assertThat(remote.localConsumers().host()).isEqualTo("localhost");
    }

    @Test
    void aConsumerWithoutPortConnectsToItsOwnFeedersPort() {
        QueueGroupConfig queue = load(queueGroup("""
                      command: work
                      local_feeder: {port: 7000}
                      consumers:
                        local: {instances_count: 2}
                        remote:
                          - hosts: [h1]
                          - {host: feeder.example, port: 7005, hosts: [h2]}
                """)).queueGroups().get(0);
        assertThat(queue.localConsumers().port()).isEqualTo(7000);
        assertThat(queue.remoteConsumers()).extracting(RemoteConsumers::port).containsExactly(7000, 7005);
        QueueGroupConfig remote = load(queueGroup("      command: work\n"
                + "      remote_feeder: {port: 7001, hosts: [f]}\n"
                + "      consumers:\n        remote: [{hosts: [f, g]}]\n"))
                .queueGroups().get(0);
        assertThat(remote.remoteConsumers().get(0).port()).isEqualTo(7001);
    }

    @Test
    void aWrongFeederPortIsReportedOnceNotAgainAtEachConsumer() {
        assertThat(errors(queueGroup("      command: work\n      local_feeder: {port: 0}\n"
                + "      consumers:\n        local: ~\n")))
                .containsExactly(Q + ".local_feeder.port: must be between 1 and 65535 (got 0)");
    }

    @Test
    void remoteFeederRunsOnExactlyOneHost() {
        String twoHosts = queueGroup("      command: work\n      remote_feeder:\n        bind_to: 0.0.0.0\n"
                + "        hosts: [a, b]\n" + CONSUMERS);
        assertThat(errors(twoHosts)).containsExactly(Q + ".remote_feeder.hosts: must contain exactly 1 host (got 2)");
        String noHosts = queueGroup("      command: work\n      remote_feeder:\n        bind_to: 0.0.0.0\n" + CONSUMERS);
        assertThat(errors(noHosts)).containsExactly(Q + ".remote_feeder.hosts: is required");
    }

    @Test
    void localFeederHasNoHostsKey() {
        String yaml = queueGroup("      command: work\n      local_feeder:\n        bind_to: 0.0.0.0\n"
                + "        hosts: [a]\n" + CONSUMERS);
        assertThat(errors(yaml)).containsExactly(Q + ".local_feeder.hosts: unknown key \"hosts\" (expected one of: "
                + "bind_to, port, bin_path, path, priority, timeout)");
    }

    @Test
    void exactlyOneFeeder() {
        String both = queueGroup("      command: work\n      local_feeder: {bind_to: a}\n"
                + "      remote_feeder: {bind_to: a, hosts: [h]}\n" + CONSUMERS);
        assertThat(errors(both)).containsExactly(Q + ": has both local_feeder and remote_feeder: keep only one");
        String none = queueGroup("      command: work\n" + CONSUMERS);
        assertThat(errors(none)).containsExactly(Q + ": has no feeder: add local_feeder or remote_feeder");
    }

    @Test
    void consumersAreRequired() {
        String feeder = "      command: work\n      local_feeder: {bind_to: a}\n";
        assertThat(errors(queueGroup(feeder))).containsExactly(Q + ".consumers: is required");
        assertThat(errors(queueGroup(feeder + "      consumers: ~\n")))
                .containsExactly(Q + ".consumers: has no consumer: add local or remote");
        assertThat(errors(queueGroup(feeder + "      consumers:\n        remote: []\n")))
                .containsExactly(Q + ".consumers: has no consumer: add local or remote");
    }

    @Test
    void consumerEntriesAreChecked() {
        String yaml = queueGroup("""
                      command: work
                      local_feeder: {bind_to: a}
                      consumers:
                        local: {instances_count: 0, port: 0}
                        remote:
                          - hosts: []
                          - host: a
                            hosts: [b]
                            port: 70000
                """);
        String c = Q + ".consumers.";
        assertThat(errors(yaml)).containsExactly(
                c + "local.instances_count: must be at least 1 (got 0)",
                c + "local.port: must be between 1 and 65535 (got 0)",
                c + "remote[0].hosts: must not be empty: list at least 1 host",
                c + "remote[1].port: must be between 1 and 65535 (got 70000)");
    }

    @Test
    void consumerDefaults() {
        QueueGroupConfig queue = load(queueGroup("      command: work\n      local_feeder: {bind_to: a}\n" + CONSUMERS))
                .queueGroups().get(0);
        assertThat(queue.feeder().port()).isEqualTo(9999);
        assertThat(queue.localConsumers()).isEqualTo(new LocalConsumers(1, "10.0.0.1", 9999, ProcessSettings.NONE));
        assertThat(queue.remoteConsumers()).isEmpty();
        assertThat(queue.params()).isEmpty();
    }

    @Test
    void missingCommandInQueueGroup() {
        assertThat(errors(queueGroup("      local_feeder: {bind_to: a}\n" + CONSUMERS)))
                .containsExactly(Q + ".command: is required");
    }

    private static String withQueueKeys(String keys) {
        return queueGroup("      command: work\n      local_feeder: {bind_to: 127.0.0.1}\n" + CONSUMERS + keys);
    }

    @Test
    void queueSettingsDefaultToTheSeedsBehaviour() {
        QueueGroupConfig queue = load(withQueueKeys("")).queueGroups().get(0);
        assertThat(queue.queue()).isEqualTo(QueueSettings.DEFAULT);
        assertThat(queue.queue().redeliver()).isFalse();
        assertThat(queue.queue().prefetch()).isEqualTo(1);
    }

    @Test
    void queueSettingsAreRead() {
        QueueGroupConfig queue = load(withQueueKeys("""
                      prefetch: 32
                      redeliver: ~
                      empty_interval: 0.1
                      max_frame: 256K
                      secret_env: ORDERS_SECRET
                      network_timeout: 30
                """)).queueGroups().get(0);
        assertThat(queue.queue()).isEqualTo(new QueueSettings(32, 3, java.time.Duration.ofMillis(100), 256 * 1024,
                "ORDERS_SECRET", java.time.Duration.ofSeconds(30)));
        assertThat(load(withQueueKeys("      redeliver: {max_attempts: 7}\n")).queueGroups().get(0).queue()
                .maxAttempts()).isEqualTo(7);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            prefetch: 0                     | prefetch: must be between 1 and 10000 (got 0)
            redeliver: {max_attempts: 1}    | redeliver.max_attempts: must be between 2 and 100 (got 1)
            empty_interval: 0               | empty_interval: must be greater than 0 (got 0)
            max_frame: 12                   | max_frame: must be between 1K and 64M (got 12 bytes)
            max_frame: lots                 | max_frame: must be a size such as 512M, 2G or 1048576 (got "lots")
            secret_env: 'MY SECRET'         | secret_env: must be an environment variable name such as DISTARCH_QUEUE_SECRET (got "MY SECRET")
            network_timeout: 0              | network_timeout: must be between 1 and 3600 (got 0)
            redelivery: ~                   | redelivery: unknown key "redelivery" (did you mean "redeliver"?)
            """)
    void queueSettingsBounds(String line, String expected) {
        assertThat(errors(withQueueKeys("      " + line + "\n"))).containsExactly(Q + "." + expected);
    }
}
