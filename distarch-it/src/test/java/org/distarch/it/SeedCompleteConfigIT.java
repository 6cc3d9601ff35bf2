package org.distarch.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.distarch.event.ProcessIdentity;
import org.distarch.it.hosts.CommandResult;
import org.distarch.it.hosts.TestHosts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed README's complete configuration, end to end with real processes: its three groups on this machine
 * and three real OpenSSH test hosts, run by the seed's example commands ported to Java
 * ({@link org.distarch.it.seed.SeedTestCommand}, {@link org.distarch.it.seed.SeedTestQueueCommand}).
 */
@ExtendWith(NoStrayProcesses.class)
class SeedCompleteConfigIT {

    @RegisterExtension
    static final TestHosts HOSTS = TestHosts.of(3);

    private static final Duration LIMIT = Duration.ofSeconds(90);

    /**
     * The seed README's complete example, comments and all, verbatim but for what only makes sense on the
     * seed's machines (each change marked "distarch-it:"):
     * <ul>
     *   <li>server-host-1/2/3 are the test hosts da-h1/2/3;</li>
     *   <li>every {@code bin_path} is removed: the seed's points at php; without it the worker runs through the
     *       master's own launcher (the same java, class path and TestApp main), distarch's bin/console;</li>
     *   <li>{@code path} and the overriding path are two directories made by the test (under /tmp, which the
     *       test hosts share), so that the working directory really changes;</li>
     *   <li>{@code username} is root, the test hosts' only user, and {@code private_key} the fixture's client
     *       key (otherwise named by the fixture's ssh config);</li>
     *   <li>the queue group's {@code bind_to} and {@code host} are this machine's address on the test network
     *       (what the test hosts reach), and the port a free one rather than 9999, which another build on this
     *       machine may hold.</li>
     * </ul>
     * Priorities stay as the seed has them: the tests run as root, so -10 is allowed.
     */
    static final String YAML = """
            distributed_architecture:
              groups:
                First Group: # The name of the group
                  command: app:test-command # The command to be executed using bin/console
                  # distarch-it: no bin_path (was /usr/bin/php7): the master's own launcher runs the command
                  path: @PATH@ # When Symfony's path is not the same as the master's
                  priority: -10 # Set all processes' priority, it will require to whole architecture to run as root
                  timeout: 60 # We consider a process timed out when not receiving data for this duration
                  params: # Parameters that will be passed to all the processes
                    Param1: Value1\s
                    Param2: Value2
                  local: # We want to run a local process
                    instances_count: 2 # We want to run 2 instances of the command
                    # distarch-it: no bin_path (was /usr/bin/php7-3)
                    path: @PATH4@ # We can overide the default value from the group
                    priority: 10 # We can overide the default value from the group
                    timeout: 120 # We can overide the default value from the group
                  remote: # We want to launch remote processes
                    - # First remote process
                      instances_count: 2  # We want to run 2 instances of the command on each host
                      username: root # distarch-it: the test hosts' user (was otherusername)
                      private_key: @KEY@ # distarch-it: the fixture's key (was /path/to/privateKey/id_rsa)
                      # distarch-it: no bin_path (was /usr/bin/php7-3)
                      path: @PATH4@ # We can overide the default value from the group
                      priority: 10 # We can overide the default value from the group
                      timeout: 120 # We can overide the default value from the group
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
                    instances_count: 1 # We want to run 1 instance of the command
                  remote: # We want to launch remote processes
                    - # First remote process
                      instances_count: 1  # We want to run 1 instance of the command on each host
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
                  #remote_feeder: # We want to run a remote feeder process
                  #  bind_to: 192.168.0.254 # The feeder should bind to this IP
                  #  port: 9999 # The feeder should listen on this port (9999 is the default)
                  #  hosts:
                  #    - server-host-1 #There can only be one host for a remote feeder
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
    void theSeedsCompleteConfigurationRunsWhatItsReadmeSaysAndStopsCleanly() throws Exception {
        Path path = Files.createDirectory(dir.resolve("symfony"));
        Path path4 = Files.createDirectory(dir.resolve("symfony4"));
        int port = QueueGroupsIT.freePort();
        String address = HOSTS.masterAddress();
        String yaml = YAML.replace("@PATH@", path.toString()).replace("@PATH4@", path4.toString())
                .replace("@KEY@", HOSTS.clientKey().toString()).replace("@ADDRESS@", address)
                .replace("@PORT@", Integer.toString(port));
        Files.writeString(dir.resolve("distarch.yaml"), yaml);
        Path json = dir.resolve("events.json");
        List<String> args = List.of("run-master", "--config", dir.resolve("distarch.yaml").toString(),
                "--ssh-config", HOSTS.sshConfig().toString());
        try (MasterRun run = MasterRun.startRaw(dir, args, "DISTARCH_TEST_EVENTS_JSON=" + json)) {
            SeedFleet.awaitFleet(run, json, address + ":" + port, LIMIT);

            // The queue group's feeder hands out its application's 5 items; each is handled once.
            for (int n = 1; n <= 5; n++) {
                String done = "[Thrird Group] [localhost] [Feeder - app:test-queue-command/13/1] Item " + n + " done";
                run.awaitLine(l -> l.endsWith(done), LIMIT);
            }
            // Most consumers are remote: their lines come through the relays, later than the local feeder's.
            QueueGroupsIT.awaitUntil(() -> run.lines().stream()
                    .filter(l -> l.contains("[Consumer - app:test-queue-command/") && l.contains("] Handled Item "))
                    .count() >= 5, run);
            assertThat(run.lines()).filteredOn(l -> l.contains("[Consumer - app:test-queue-command/")
                    && l.contains("] Handled Item ")).hasSize(5);

            // The settings of each entry are in effect: working directory and priority, here and on the hosts.
            ProcessIdentity first = SeedFleet.EXPECTED.get(0);
            ProcessHandle local = run.tree().stream()
                    .filter(p -> CommandLines.of(p).contains(" " + first.command() + " ")
                            || CommandLines.of(p).endsWith(" " + first.command()))
                    .findFirst().orElseThrow();
            assertThat(Files.readSymbolicLink(Path.of("/proc/" + local.pid() + "/cwd"))).isEqualTo(path4);
            assertThat(niceOf(local.pid())).isEqualTo(10);
            assertThat(remoteNice("da-h1", "app:test-command$")).containsOnly("10");
            assertThat(remoteNice("da-h3", "app:test-command$")).containsOnly("-10");
            assertThat(remoteNice("da-h3", "app:test-command-2$")).containsOnly("0");

            run.process.toHandle().destroy(); // SIGTERM, as the seed's README expects
            assertThat(run.awaitExit(LIMIT)).isZero();
            List<String> lines = run.lines();
            for (ProcessIdentity p : SeedFleet.EXPECTED) {
                assertThat(lines).as("%s stopped", p.display()).anyMatch(l -> l.contains(SeedFleet.prefix(p) + " Stopped"));
            }
            assertThat(lines).noneMatch(l -> l.contains("Restarting in") || l.contains("Given up") || l.contains(" ERROR "));
            SeedFleet.assertNothingLeft(HOSTS);
        }
    }

    private static int niceOf(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(fields[16]); // field 19 of stat: nice
    }

    /** The nice values of the host's worker processes whose command line matches {@code regex} (an ERE). */
    private static List<String> remoteNice(String host, String regex) {
        CommandResult r = HOSTS.ssh(host, "ps -eo ni=,args= | grep -E 'TestApp " + regex + "' | grep -v grep | awk '{print $1}'");
        return r.out().lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
