package org.distarch.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The two examples of the seed README, copied verbatim (typo "Thrird Group" included), load as documented. */
class SeedExamplesTest {

    private static final ProcessSettings OVERRIDES =
            new ProcessSettings("/usr/bin/php7-3", "/the/path/to/symfony4", 10, 120);

    private static DistarchConfig loadResource(String name) throws URISyntaxException {
        Path file = Path.of(SeedExamplesTest.class.getResource("/" + name).toURI());
        return ConfigLoader.load(file, Yaml.NO_ENV);
    }

    @Test
    void completeExampleLoadsWithEveryValue() throws Exception {
        DistarchConfig config = loadResource("seed-complete.yaml");

        assertThat(config.source()).endsWith("seed-complete.yaml");
        assertThat(config.groups()).extracting(GroupConfig::name).containsExactly("First Group", "Second Group");
        assertThat(config.queueGroups()).extracting(QueueGroupConfig::name).containsExactly("Thrird Group");

        GroupConfig first = config.groups().get(0);
        assertThat(first.command()).isEqualTo("app:test-command");
        assertThat(first.settings()).isEqualTo(new ProcessSettings("/usr/bin/php7", "/the/path/to/symfony", -10, 60));
        assertThat(first.params()).containsExactly(Map.entry("Param1", "Value1"), Map.entry("Param2", "Value2"));
        assertThat(first.local()).isEqualTo(new LocalEntry(2, OVERRIDES));
        assertThat(first.remote()).containsExactly(
                new RemoteEntry(2, "otherusername", "/path/to/privateKey/id_rsa", OVERRIDES,
                        List.of("server-host-1", "server-host-2")),
                new RemoteEntry(2, null, null, ProcessSettings.NONE, List.of("server-host-3")));
        assertThat(first.restart()).isEqualTo(RestartConfig.DEFAULT);
        assertThat(first.stopTimeout()).isEqualTo(Duration.ofSeconds(10));

        GroupConfig second = config.groups().get(1);
        assertThat(second.command()).isEqualTo("app:test-command-2");
        assertThat(second.settings()).isEqualTo(ProcessSettings.NONE);
        assertThat(second.local()).isEqualTo(new LocalEntry(1, ProcessSettings.NONE));
        assertThat(second.remote()).containsExactly(new RemoteEntry(1, null, null, ProcessSettings.NONE,
                List.of("server-host-1", "server-host-2", "server-host-3")));

        QueueGroupConfig third = config.queueGroups().get(0);
        assertThat(third.command()).isEqualTo("app:test-queue-command");
        assertThat(third.params()).isEmpty();
        assertThat(third.feeder()).isEqualTo(
                new FeederConfig("192.168.0.254", 9999, ProcessSettings.NONE, null, null, null));
        assertThat(third.feeder().isRemote()).isFalse();
        assertThat(third.localConsumers())
                .isEqualTo(new LocalConsumers(1, "192.168.0.254", 9999, ProcessSettings.NONE));
        assertThat(third.remoteConsumers()).containsExactly(new RemoteConsumers(2, "192.168.0.254", 9999, null, null,
                ProcessSettings.NONE, List.of("server-host-1", "server-host-2")));
        assertThat(third.restart()).isEqualTo(RestartConfig.DEFAULT);
        assertThat(third.stopTimeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void minimalExampleLoadsWithDefaults() throws Exception {
        DistarchConfig config = loadResource("seed-minimal.yaml");

        GroupConfig first = config.groups().get(0);
        assertThat(first.settings()).isEqualTo(ProcessSettings.NONE);
        assertThat(first.local()).isEqualTo(new LocalEntry(2, ProcessSettings.NONE));
        assertThat(first.remote()).extracting(RemoteEntry::hosts)
                .containsExactly(List.of("server-host-1", "server-host-2"), List.of("server-host-3"));
        assertThat(config.groups().get(1).local().instancesCount()).isEqualTo(1);
        assertThat(config.queueGroups()).singleElement().satisfies(queue -> {
            assertThat(queue.feeder().bindTo()).isEqualTo("192.168.0.254");
            assertThat(queue.remoteConsumers()).singleElement().extracting(RemoteConsumers::instancesCount)
                    .isEqualTo(2);
        });
    }

    @Test
    void recordsAndTheirListsAreImmutable() throws Exception {
        DistarchConfig config = loadResource("seed-complete.yaml");
        assertThat(config.groups()).isUnmodifiable();
        assertThat(config.groups().get(0).remote()).isUnmodifiable();
        assertThat(config.groups().get(0).remote().get(0).hosts()).isUnmodifiable();
        assertThat(config.groups().get(0).params()).isUnmodifiable();
    }

    /** The seed's queue group with bind_to and host left out, which the seed accepts: they default to localhost. */
    @Test
    void seedQueueGroupWithoutAddressesLoadsWithLocalhost() {
        DistarchConfig config = Yaml.load("""
                distributed_architecture:
                  queue_groups: # The list of feeder/consumers groups
                    Thrird Group: # The name of the group
                      command: app:test-queue-command # The feeder/consumers command to be executed using bin/console
                      local_feeder: # We want to run a local feeder process
                        port: 9999 # The feeder should listen on this port (9999 is the default)
                      consumers: # The list of consumers
                        local:
                          instances_count: 1  # We want to run 1 consumer instance of the command
                        remote: # We want to launch remote processes
                          - # First remote process
                            instances_count: 2  # We want to run 2 instances of the consumer command on each host
                            hosts: # The list of hosts
                              - server-host-1
                              - server-host-2
                """);
        QueueGroupConfig queue = config.queueGroups().get(0);
        assertThat(queue.feeder())
                .isEqualTo(new FeederConfig("localhost", 9999, ProcessSettings.NONE, null, null, null));
        assertThat(queue.localConsumers()).isEqualTo(new LocalConsumers(1, "localhost", 9999, ProcessSettings.NONE));
        assertThat(queue.remoteConsumers()).containsExactly(new RemoteConsumers(2, "localhost", 9999, null, null,
                ProcessSettings.NONE, List.of("server-host-1", "server-host-2")));
        assertThat(config.warnings()).isEmpty();
    }
}
