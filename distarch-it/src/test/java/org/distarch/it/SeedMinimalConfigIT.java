package org.distarch.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.distarch.event.ProcessIdentity;
import org.distarch.it.hosts.TestHosts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed README's minimal configuration ("the same layout on every machine"), end to end: it runs the same
 * fleet as the complete one, with nothing but hosts, counts and params. Also the seed's "Not executed in
 * distributed-architecture": a worker command run by hand refuses to run.
 */
@ExtendWith(NoStrayProcesses.class)
class SeedMinimalConfigIT {

    @RegisterExtension
    static final TestHosts HOSTS = TestHosts.of(3);

    private static final Duration LIMIT = Duration.ofSeconds(90);

    /**
     * The seed README's minimal example verbatim (its comments too, "2 instances" where it says 1 included),
     * but for server-host-1/2/3 read as da-h1/2/3 and the queue group's address and port: this machine's
     * address on the test network and a free port (see {@link SeedCompleteConfigIT#YAML}).
     */
    static final String YAML = """
            distributed_architecture:
              groups:
                First Group: # The name of the group
                  command: app:test-command # The command to be executed using bin/console
                  params: # Parameters that will be passed to all the processes
                    Param1: Value1\s
                    Param2: Value2
                  local: # We want to run a local process
                    instances_count: 2 # We want to run 2 instances of the command
                  remote: # We want to launch remote processes
                    - # First remote process
                      instances_count: 2  # We want to run 2 instances of the command on each host
                      hosts: # The list of hosts
                        - da-h1
                        - da-h2
                    - # Second remote process
                      instances_count: 2  # We want to run 2 instances of the command on each host
                      hosts: # The list of hosts
                        - da-h3
                Second Group: # The name of the group
                  command: app:test-command-2 # The command to be executed using bin/console
                  params: # Parameters that will be passed to all the processes
                    Param1: Value1\s
                    Param2: Value2
                  local: # We want to run a local process
                    instances_count: 1 # We want to run 2 instances of the command
                  remote: # We want to launch remote processes
                    - # First remote process
                      instances_count: 1  # We want to run 2 instances of the command on each host
                      hosts: # The list of hosts
                        - da-h1
                        - da-h2
                        - da-h3
              queue_groups: # The list of feeder/consumers groups\s
                Thrird Group: # The name of the group
                  command: app:test-queue-command # The feeder/consumers command to be executed using bin/console
                  local_feeder: # We want to run a local feeder process
                    bind_to: @ADDRESS@ # The feeder should bind to this IP
                    port: @PORT@ # The feeder should listen on this port (9999 is the default)
                  consumers: # The list of consumers
                    local:
                      instances_count: 1  # We want to run 1 consumer instance of the command
                      host: @ADDRESS@ # The IP address of the feeder
                    remote: # We want to launch remote processes
                      - # First remote process
                        instances_count: 2  # We want to run 2 instances of the consumer command on each host
                        host: @ADDRESS@ # The IP address of the feeder
                        hosts: # The list of hosts
                          - da-h1
                          - da-h2
            """;

    @TempDir
    Path dir;

    @Test
    void theSeedsMinimalConfigurationRunsTheSameFleetAndStopsCleanly() throws Exception {
        int port = QueueGroupsIT.freePort();
        String address = HOSTS.masterAddress();
        Files.writeString(dir.resolve("distarch.yaml"),
                YAML.replace("@ADDRESS@", address).replace("@PORT@", Integer.toString(port)));
        Path json = dir.resolve("events.json");
        List<String> args = List.of("run-master", "--config", dir.resolve("distarch.yaml").toString(),
                "--ssh-config", HOSTS.sshConfig().toString());
        try (MasterRun run = MasterRun.startRaw(dir, args, "DISTARCH_TEST_EVENTS_JSON=" + json)) {
            SeedFleet.awaitFleet(run, json, address + ":" + port, LIMIT);
            run.process.toHandle().destroy();
            assertThat(run.awaitExit(LIMIT)).isZero();
            for (ProcessIdentity p : SeedFleet.EXPECTED) {
                assertThat(run.lines()).anyMatch(l -> l.contains(SeedFleet.prefix(p) + " Stopped"));
            }
            SeedFleet.assertNothingLeft(HOSTS);
        }
    }

    /** The seed's TestCommand run by hand says it is not run by the architecture and fails; so does ours. */
    @Test
    void aSeedCommandRunByHandRefusesToRun() throws Exception {
        try (MasterRun run = MasterRun.startRaw(dir, List.of("app:test-command"))) {
            assertThat(run.awaitExit(LIMIT)).isNotZero();
            assertThat(String.join("\n", run.errorLines()) + String.join("\n", run.lines()))
                    .contains("app:test-command is a distarch worker command: it runs under a master");
            assertThat(run.lines()).noneMatch(l -> l.contains("Value1"));
        }
    }
}
