package org.distarch.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.distarch.it.hosts.TestHosts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's queue group across hosts, against real OpenSSH servers on test hosts: a remote feeder, consumers
 * on the master's machine, on another host and on the feeder's own host (UNIX socket), a shared secret from
 * the master's environment, and queue events from every host.
 */
@ExtendWith(NoStrayProcesses.class)
class QueueRemoteIT {

    @RegisterExtension
    static final TestHosts HOSTS = TestHosts.of(2);

    private static final Duration LIMIT = Duration.ofSeconds(120);
    private static final String SECRET = "queue-s3cret-for-tests";

    @TempDir
    Path dir;

    @Test
    void aRemoteFeederServesConsumersOnEveryHostAndItsEventsReachTheMaster() throws Exception {
        int port = QueueGroupsIT.freePort();
        String feederAddress = HOSTS.address("da-h1");
        Path outcomes = dir.resolve("outcomes.txt");
        int items = 40;
        String yaml = """
                distributed_architecture:
                  queue_groups:
                    Q:
                      command: test:queue
                      params: {items: %d, outcomes: "%s", handle_ms: 40, min_consumers: 4}
                      remote_feeder:
                        bind_to: 0.0.0.0
                        port: %d
                        hosts: [da-h1]
                      consumers:
                        local: {instances_count: 1, host: %s, port: %d}
                        remote:
                          - instances_count: 2
                            host: %s
                            port: %d
                            hosts: [da-h2]
                          - host: %s
                            port: %d
                            hosts: [da-h1]
                """.formatted(items, outcomes, port, feederAddress, port, feederAddress, port, feederAddress, port);
        java.nio.file.Files.writeString(dir.resolve("distarch.yaml"), yaml);
        List<String> args = List.of("run-master", "--config", dir.resolve("distarch.yaml").toString(),
                "--ssh-config", HOSTS.sshConfig().toString());
        try (MasterRun run = MasterRun.startRaw(dir, args, "DISTARCH_QUEUE_SECRET=" + SECRET)) {
            QueueGroupsIT.awaitLines(outcomes, items, LIMIT, run);
            List<String> lines = QueueGroupsIT.read(outcomes);
            assertThat(lines).hasSize(items).allMatch(l -> l.startsWith("ok item-"));
            assertThat(lines.stream().distinct().count()).isEqualTo(items);

            run.awaitLine(l -> l.contains("[Q] [da-h1] [Feeder - test:queue/1/1] Waiting for new connections"), LIMIT);
            run.awaitLine(l -> l.contains("[Q] [localhost] [Consumer - test:queue/2/2] Connected to " + feederAddress
                    + ":" + port), LIMIT);
            run.awaitLine(l -> l.contains("[Q] [da-h2] [Consumer - test:queue/3/3] Connected to " + feederAddress
                    + ":" + port), LIMIT);
            run.awaitLine(l -> l.contains("[Q] [da-h2] [Consumer - test:queue/4/4] Connected to "), LIMIT);
            run.awaitLine(l -> l.contains("[Q] [da-h1] [Consumer - test:queue/5/5] Connected to unix:"), LIMIT);

            // Queue events reach the master's listeners from every host: received from the consumers on each
            // host, and one outcome per item from the feeder on da-h1, which alone knows it.
            QueueGroupsIT.awaitEvents(run, "queue_item_handled ", items);
            List<String> events = run.eventLines();
            List<String> handled = events.stream().filter(e -> e.startsWith("queue_item_handled ")).toList();
            assertThat(handled).hasSize(items).allMatch(e -> e.startsWith("queue_item_handled 1 da-h1 "));
            assertThat(handled.stream().map(e -> e.split(" ")[3]).distinct().count()).isEqualTo(items);
            assertThat(events.stream().filter(e -> e.startsWith("queue_item_received ")).map(e -> e.split(" ")[2])
                    .collect(Collectors.toSet())).containsExactlyInAnyOrder("localhost", "da-h1", "da-h2");
            int listening = indexOf(events, "queue_feeder_listening 1 da-h1");
            assertThat(listening).isGreaterThanOrEqualTo(0);
            for (int id = 2; id <= 5; id++) {
                assertThat(indexOf(events, "process_starting " + id)).as("consumer %d starts after the feeder listens", id)
                        .isGreaterThan(listening);
            }

            // The secret travels in environments, never on a command line.
            for (String host : HOSTS.names()) {
                assertThat(HOSTS.processesOn(host)).noneMatch(p -> p.commandLine().contains(SECRET));
            }
            run.process.destroy();
            assertThat(run.awaitExit(LIMIT)).isZero();
        }
    }

    @Test
    void consumersWithoutTheSecretAreRefusedAndNothingIsHandedToThem() throws Exception {
        int port = QueueGroupsIT.freePort();
        String feederAddress = HOSTS.address("da-h1");
        Path outcomes = dir.resolve("outcomes.txt");
        // The feeder gets the secret from the master's environment; the consumers' group names another
        // variable... not possible within one group, so a second master runs the intruding consumers.
        String feederYaml = """
                distributed_architecture:
                  queue_groups:
                    Q:
                      command: test:queue
                      params: {items: 5, outcomes: "%s"}
                      remote_feeder: {bind_to: 0.0.0.0, port: %d, hosts: [da-h1]}
                      consumers:
                        remote:
                          - {host: %s, port: %d, hosts: [da-h2]}
                """.formatted(outcomes, port, feederAddress, port);
        Path feederDir = java.nio.file.Files.createDirectory(dir.resolve("feeder"));
        java.nio.file.Files.writeString(feederDir.resolve("distarch.yaml"), feederYaml);
        Path intruderDir = java.nio.file.Files.createDirectory(dir.resolve("intruder"));
        String intruderYaml = """
                distributed_architecture:
                  queue_groups:
                    Intruders:
                      command: test:queue
                      local_feeder: {bind_to: 127.0.0.1, port: %d}
                      consumers:
                        local: {instances_count: 1, host: %s, port: %d}
                """.formatted(QueueGroupsIT.freePort(), feederAddress, port);
        java.nio.file.Files.writeString(intruderDir.resolve("distarch.yaml"), intruderYaml);
        try (MasterRun intruders = MasterRun.startRaw(intruderDir, List.of("run-master", "--config",
                intruderDir.resolve("distarch.yaml").toString()), "DISTARCH_QUEUE_SECRET=wrong");
             MasterRun run = MasterRun.startRaw(feederDir, List.of("run-master", "--config",
                     feederDir.resolve("distarch.yaml").toString(), "--ssh-config", HOSTS.sshConfig().toString()),
                     "DISTARCH_QUEUE_SECRET=" + SECRET)) {
            QueueGroupsIT.awaitLines(outcomes, 5, LIMIT, run);
            run.awaitLine(l -> l.contains("[Q] [da-h1] [Feeder - test:queue/1/1] Disconnected client ")
                    && l.contains("authentication failed"), LIMIT);
            intruders.awaitLine(l -> l.contains("[Consumer - test:queue/2/2] ") && l.contains("authentication failed"),
                    LIMIT);
            assertThat(QueueGroupsIT.read(outcomes)).hasSize(5);
            assertThat(intruders.eventLines()).noneMatch(e -> e.startsWith("queue_item_"));
            intruders.process.destroy();
            run.process.destroy();
            assertThat(intruders.awaitExit(LIMIT)).isZero();
            assertThat(run.awaitExit(LIMIT)).isZero();
        }
    }

    private static int indexOf(List<String> events, String prefix) {
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }
}
