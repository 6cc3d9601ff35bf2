package org.distarch.master;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.distarch.config.ConfigLoader;
import org.distarch.config.DistarchConfig;
import org.distarch.event.ProcessRole;
import org.distarch.supervise.InstancePlan;
import org.distarch.worker.protocol.QueueEnv;
import org.junit.jupiter.api.Test;

class FleetPlannerQueueTest {

    private final FleetPlanner planner = new FleetPlanner(new SelfCommand(List.of("java", "-cp", "x", "App")));

    private static DistarchConfig config(String yaml) {
        return ConfigLoader.parse(yaml, "test.yaml", name -> null);
    }

    @Test
    void theFeederComesFirstThenLocalThenRemoteConsumersHostByHost() {
        DistarchConfig c = config("""
                distributed_architecture:
                  groups:
                    Plain: {command: "app:x", local: {instances_count: 1}}
                  queue_groups:
                    Q:
                      command: app:q --verbose
                      local_feeder: {bind_to: 10.0.0.1, port: 7000}
                      consumers:
                        local: {instances_count: 2, host: 10.0.0.1, port: 7000}
                        remote:
                          - {instances_count: 2, host: 10.0.0.1, port: 7000, hosts: [h1, h2]}
                """);
        List<InstancePlan> plans = planner.plan(c, Map.of());
        assertThat(plans).extracting(p -> p.identity().display()).containsExactly("app:x/1/1",
                "Feeder - app:q --verbose/2/1", "Consumer - app:q --verbose/3/2", "Consumer - app:q --verbose/4/3",
                "Consumer - app:q --verbose/5/4", "Consumer - app:q --verbose/6/5", "Consumer - app:q --verbose/7/6",
                "Consumer - app:q --verbose/8/7");
        assertThat(plans).extracting(p -> p.identity().host()).containsExactly("localhost", "localhost", "localhost",
                "localhost", "h1", "h1", "h2", "h2");
        assertThat(plans.subList(1, 8)).allMatch(p -> p.identity().groupCount() == 7);
        InstancePlan feeder = plans.get(1);
        assertThat(feeder.identity().role()).isEqualTo(ProcessRole.FEEDER);
        assertThat(feeder.launch().environment()).containsEntry(QueueEnv.ROLE, QueueEnv.FEEDER)
                .containsEntry(QueueEnv.HOST, "10.0.0.1").containsEntry(QueueEnv.PORT, "7000")
                .containsEntry(QueueEnv.MAX_ATTEMPTS, "1").containsEntry(QueueEnv.PREFETCH, "1")
                .containsEntry(QueueEnv.DRAIN_MILLIS, "9000").containsKey(QueueEnv.SOCKET)
                .doesNotContainKey(QueueEnv.SECRET);
        assertThat(feeder.launch().command()).containsExactly("java", "-cp", "x", "App", "app:q", "--verbose");
        // Local consumers share the feeder's machine, so they get its UNIX socket; remote ones do not.
        assertThat(plans.get(2).launch().environment()).containsEntry(QueueEnv.ROLE, QueueEnv.CONSUMER)
                .containsEntry(QueueEnv.SOCKET, feeder.launch().environment().get(QueueEnv.SOCKET));
        assertThat(plans.get(4).launch().environment()).doesNotContainKey(QueueEnv.SOCKET);
        assertThat(plans.get(4).remote().host()).isEqualTo("h1");
    }

    @Test
    void aRemoteFeedersOwnHostGetsItsSocketAndTheSecretComesFromTheNamedVariable() {
        DistarchConfig c = config("""
                distributed_architecture:
                  queue_groups:
                    Q:
                      command: app:q
                      prefetch: 16
                      redeliver: ~
                      secret_env: MY_SECRET
                      stop_timeout: 5
                      remote_feeder: {bind_to: 0.0.0.0, port: 7001, hosts: [h1]}
                      consumers:
                        remote:
                          - {host: 10.0.0.5, port: 7001, hosts: [h1, h2]}
                """);
        List<InstancePlan> plans = planner.plan(c, Map.of("MY_SECRET", "s3", "DISTARCH_QUEUE_SECRET", "other"));
        assertThat(plans).extracting(p -> p.identity().host()).containsExactly("h1", "h1", "h2");
        assertThat(plans.get(0).remote().host()).isEqualTo("h1");
        assertThat(plans.get(0).remote()).isNotEqualTo(plans.get(1).remote()); // separate relay sessions
        assertThat(plans).allSatisfy(p -> assertThat(p.launch().environment()).containsEntry(QueueEnv.SECRET, "s3")
                .containsEntry(QueueEnv.PREFETCH, "16").containsEntry(QueueEnv.MAX_ATTEMPTS, "3"));
        assertThat(plans.get(0).launch().environment()).containsEntry(QueueEnv.DRAIN_MILLIS, "4000");
        assertThat(plans.get(1).launch().environment()).containsKey(QueueEnv.SOCKET);
        assertThat(plans.get(2).launch().environment()).doesNotContainKey(QueueEnv.SOCKET);
    }

    /** The seed's queue group without bind_to and host, which the seed accepts: everything on localhost:9999. */
    @Test
    void withoutAddressesTheFeederBindsLocalhostAndConsumersConnectToLocalhost9999() {
        DistarchConfig c = config("""
                distributed_architecture:
                  queue_groups:
                    Thrird Group:
                      command: app:test-queue-command
                      local_feeder: ~
                      consumers:
                        local:
                          instances_count: 1
                        remote:
                          - instances_count: 2
                            hosts: [server-host-1, server-host-2]
                """);
        List<InstancePlan> plans = planner.plan(c, Map.of());
        assertThat(plans).extracting(p -> p.identity().host()).containsExactly("localhost", "localhost",
                "server-host-1", "server-host-1", "server-host-2", "server-host-2");
        assertThat(plans).allSatisfy(p -> assertThat(p.launch().environment())
                .containsEntry(QueueEnv.HOST, "localhost").containsEntry(QueueEnv.PORT, "9999"));
        String socket = plans.get(0).launch().environment().get(QueueEnv.SOCKET);
        assertThat(plans.get(1).launch().environment()).containsEntry(QueueEnv.SOCKET, socket);
        // A remote consumer's localhost is its own machine, where no feeder of this group runs: TCP only.
        assertThat(plans.subList(2, 6)).allSatisfy(p ->
                assertThat(p.launch().environment()).doesNotContainKey(QueueEnv.SOCKET));
    }

    @Test
    void consumersWithoutPortConnectToTheirFeedersPortAndShareItsSocket() {
        DistarchConfig c = config("""
                distributed_architecture:
                  queue_groups:
                    Q:
                      command: app:q
                      remote_feeder: {port: 7000, hosts: [h1]}
                      consumers:
                        local: {host: h1}
                        remote:
                          - hosts: [h1, h2]
                """);
        List<InstancePlan> plans = planner.plan(c, Map.of());
        assertThat(plans).extracting(p -> p.launch().environment().get(QueueEnv.PORT))
                .containsExactly("7000", "7000", "7000", "7000");
        assertThat(plans.get(0).launch().environment()).containsEntry(QueueEnv.HOST, "localhost");
        // the consumer on the feeder's own host reaches it at localhost:7000 and over its socket
        assertThat(plans.get(2).identity().host()).isEqualTo("h1");
        assertThat(plans.get(2).launch().environment()).containsEntry(QueueEnv.HOST, "localhost")
                .containsEntry(QueueEnv.SOCKET, plans.get(0).launch().environment().get(QueueEnv.SOCKET));
        assertThat(plans.get(1).launch().environment()).containsEntry(QueueEnv.HOST, "h1")
                .doesNotContainKey(QueueEnv.SOCKET);
    }
}
