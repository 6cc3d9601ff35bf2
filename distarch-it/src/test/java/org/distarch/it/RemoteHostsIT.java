package org.distarch.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.distarch.it.hosts.TestHosts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Remote entries against real OpenSSH servers on test hosts (network namespaces made by the tests): ids,
 * hosts and prefixes, params, timeouts, a network cut and its recovery, refused keys, and a master killed
 * with SIGKILL.
 */
@ExtendWith(NoStrayProcesses.class)
class RemoteHostsIT {

    @RegisterExtension
    static final TestHosts HOSTS = TestHosts.of(3);

    private static final Duration LIMIT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    private MasterRun start(String yaml, String... more) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("--ssh-config", HOSTS.sshConfig().toString()));
        args.addAll(List.of(more));
        return MasterRun.start(dir, yaml, args.toArray(String[]::new));
    }

    /** Worker processes (not sshd, not ps itself) on a host whose command line contains {@code marker}. */
    private static long countOn(String host, String marker) {
        return HOSTS.processesOn(host).stream()
                .filter(p -> p.commandLine().contains(marker) && !p.commandLine().contains("ps -eo")).count();
    }

    private static final String SHELL_WORKER = "-c 'echo \"on $(hostname) as $DA_ID/$DA_GROUP_ID/$DA_GROUP_COUNT "
            + "host=$DA_HOST params=$DA_PARAMS\"; exec sleep 600'";

    @Test
    void theSeedsMixedShapeRunsOnEveryHostWithTheRightIdsHostsAndPrefixes() throws Exception {
        String yaml = """
                distributed_architecture:
                  groups:
                    First Group:
                      command: %s
                      bin_path: /bin/sh
                      params: {Param1: Value1}
                      local: {instances_count: 1}
                      remote:
                        - instances_count: 2
                          hosts: [da-h1, da-h2]
                        - instances_count: 1
                          hosts: [da-h3]
                    Java:
                      command: test:scripted
                      params: {secret: s3cret, script: ["say java {id}/{groupId} on {host} got {param:secret}", "work 600"]}
                      remote:
                        - hosts: [da-h3]
                """.formatted(SHELL_WORKER);
        try (MasterRun run = start(yaml)) {
            String[][] expected = {{"localhost", "1", "1"}, {"da-h1", "2", "2"}, {"da-h1", "3", "3"}, {"da-h2", "4", "4"},
                {"da-h2", "5", "5"}, {"da-h3", "6", "6"}};
            for (String[] e : expected) {
                String host = e[0].equals("localhost") ? "" : e[0];
                run.awaitLine(l -> l.contains("[First Group] [" + e[0] + "] [") && l.contains("/" + e[1] + "/" + e[2] + "]")
                        && l.contains(" as " + e[1] + "/" + e[2] + "/6 host=" + e[0]) && l.contains("\"Param1\":\"Value1\"")
                        && (host.isEmpty() || l.contains("on " + host + " as")), LIMIT);
            }
            run.awaitLine(l -> l.contains("[Java] [da-h3] [test:scripted/7/1] java 7/1 on da-h3 got s3cret"), LIMIT);
            assertThat(countOn("da-h1", "sleep 600")).isEqualTo(2);
            assertThat(countOn("da-h3", "sleep 600")).isEqualTo(1);
            assertThat(HOSTS.processesOn("da-h3")).noneMatch(p -> p.commandLine().contains("s3cret"));
            QueueGroupsIT.awaitUntil(() -> run.eventLines().containsAll(List.of("process_started 2", "process_started 7")),
                    run); // the recorder's thread may trail the log lines awaited above

            run.process.toHandle().destroy();
            assertThat(run.awaitExit(LIMIT)).isZero();
            assertThat(run.lines()).anyMatch(l -> l.contains("[da-h2] [") && l.contains("/5/5] Stopped"));
            for (String host : HOSTS.names()) {
                assertThat(countOn(host, "sleep 600")).as("workers left on %s", host).isZero();
                assertThat(countOn(host, "__relay")).as("relay left on %s", host).isZero();
            }
        }
    }

    @Test
    void aSilentRemoteWorkerIsTimedOutAndRestartedByItsHost() throws Exception {
        String yaml = """
                distributed_architecture:
                  groups:
                    Quiet:
                      command: test:scripted
                      timeout: 5
                      stop_timeout: 1
                      restart: {initial_backoff: 0.5, jitter: 0}
                      params: {script: ["say going quiet", "silent 600"]}
                      remote: [{hosts: [da-h2]}]
                """;
        try (MasterRun run = start(yaml, "--max-process-timeout", "2")) {
            assertThat(run.awaitExit(LIMIT)).isEqualTo(1);
            assertThat(run.lines()).filteredOn(l -> l.contains("[Quiet] [da-h2] [test:scripted/1/1] Timeout reached while "
                    + "waiting for data")).hasSize(2);
            assertThat(run.lines()).anyMatch(l -> l.contains("[Quiet] [da-h2] [test:scripted/1/1] Given up: timed out 2 times"));
            assertThat(run.eventLines()).filteredOn(e -> e.startsWith("process_timedout 1")).hasSize(2);
        }
    }

    @Test
    void aNetworkCutStopsTheHostsWorkersAndTheMasterReconnectsWithoutEverRunningTwoCopies() throws Exception {
        String yaml = """
                distributed_architecture:
                  groups:
                    Cut:
                      command: %s
                      bin_path: /bin/sh
                      stop_timeout: 2
                      remote: [{instances_count: 2, hosts: [da-h1, da-h2]}]
                """.formatted(SHELL_WORKER);
        try (MasterRun run = start(yaml)) {
            run.awaitLine(l -> l.contains("on da-h2 as 4/4/4"), LIMIT);
            run.awaitLine(l -> l.contains("on da-h1 as 2/2/4"), LIMIT);
            HOSTS.cut("da-h2");
            try {
                run.awaitLine(l -> l.contains("[Cut] [da-h2] [master] Session with da-h2 ended"), LIMIT);
                // The relay on the cut host notices the missing heartbeats and stops its workers by itself.
                Thread.sleep(Duration.ofSeconds(10).toMillis());
            } finally {
                HOSTS.restore("da-h2");
            }
            assertThat(run.lines()).noneMatch(l -> l.contains("[da-h1] [master] Session"));
            run.awaitLine(l -> l.contains("[Cut] [da-h2]") && l.contains("/4/4] Started (pid")
                    && run.lines().stream().filter(x -> x.contains("/4/4] Started (pid")).count() >= 2, LIMIT);
            long deadline = System.nanoTime() + LIMIT.toNanos();
            while (countOn("da-h2", "sleep 600") != 2 && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(countOn("da-h2", "sleep 600")).as("exactly the 2 instances, never 4").isEqualTo(2);
            assertThat(countOn("da-h1", "sleep 600")).isEqualTo(2);
            run.process.toHandle().destroy();
            assertThat(run.awaitExit(LIMIT)).isZero();
        }
    }

    @Test
    void aChangedHostKeyFailsThatHostWithAClearMessageAndTheRestRuns() throws Exception {
        HOSTS.rekey("da-h3");
        try {
            String yaml = """
                    distributed_architecture:
                      groups:
                        Keys:
                          command: %s
                          bin_path: /bin/sh
                          remote: [{hosts: [da-h1, da-h3]}]
                    """.formatted(SHELL_WORKER);
            try (MasterRun run = start(yaml)) {
                run.awaitLine(l -> l.contains("on da-h1 as 1/1/2"), LIMIT);
                String line = run.awaitLine(l -> l.contains("[Keys] [da-h3] [master] Giving up on da-h3"), LIMIT);
                assertThat(line).contains("host key of da-h3 is unknown or has changed", "ssh-keyscan");
                assertThat(countOn("da-h1", "sleep 600")).isEqualTo(1);
                run.process.toHandle().destroy();
                assertThat(run.awaitExit(LIMIT)).isEqualTo(1);
            }
        } finally {
            HOSTS.trust("da-h3");
        }
    }

    @Test
    void aWrongKeyIsRefusedAndRetriedWithBackoff() throws Exception {
        Path key = dir.resolve("wrong_key");
        Process keygen = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString()).start();
        assertThat(keygen.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String yaml = """
                distributed_architecture:
                  groups:
                    Locked:
                      command: %s
                      bin_path: /bin/sh
                      remote: [{hosts: [da-h2], private_key: %s}]
                    Fine:
                      command: %s
                      bin_path: /bin/sh
                      remote: [{hosts: [da-h1], private_key: %s}]
                """.formatted(SHELL_WORKER, key, SHELL_WORKER, HOSTS.clientKey());
        // The fixture's client config names the right key; without it only the entry's private_key is offered.
        Path config = dir.resolve("ssh_config_without_key");
        Files.writeString(config, String.join("\n", Files.readAllLines(HOSTS.sshConfig()).stream()
                .filter(l -> !l.strip().startsWith("IdentityFile")).toList()) + "\n");
        try (MasterRun run = MasterRun.start(dir, yaml, "--ssh-config", config.toString(),
                "--ssh-option", "IdentitiesOnly=yes")) {
            run.awaitLine(l -> l.contains("[Fine] [da-h1]") && l.contains(" as 2/1/1"), LIMIT);
            run.awaitLine(l -> l.contains("[Locked] [da-h2] [master] Session with da-h2 ended: authentication refused"),
                    LIMIT);
            // A host that refuses us is not the worker's fault: retried with a growing backoff, never given up.
            String first = run.awaitLine(l -> l.contains("[Locked] [da-h2] [") && l.contains("Restarting in ")
                    && l.contains("authentication refused by da-h2") && l.endsWith("(attempt 1)"), LIMIT);
            String second = run.awaitLine(l -> l.contains("[Locked] [da-h2] [") && l.contains("Restarting in ")
                    && l.endsWith("(attempt 2)"), LIMIT);
            assertThat(delay(second)).isGreaterThan(delay(first));
            run.process.toHandle().destroy();
            run.awaitExit(LIMIT);
        }
        assertThat(Files.exists(key)).isTrue();
    }

    /** The seconds of a "Restarting in 1.9s: ..." line. */
    private static double delay(String line) {
        String rest = line.substring(line.indexOf("Restarting in ") + "Restarting in ".length());
        return Double.parseDouble(rest.substring(0, rest.indexOf('s')));
    }

    @Test
    void maxRunningTimeAndTheTimeoutForceKillReachEveryHost() throws Exception {
        // Shell workers that print every second: a JVM worker signalled before it has installed its SIGTERM handler
        // dies of the signal (exit 143), and on a loaded machine a remote JVM may take longer to start than a short
        // --max-running-time; the ticks keep the fleet-wide silence limit (--timeout) from firing instead.
        String yaml = """
                distributed_architecture:
                  groups:
                    Polite:
                      command: -c 'trap "exit 0" TERM; while :; do echo polite on $(hostname); sleep 1; done'
                      bin_path: /bin/sh
                      remote: [{hosts: [da-h1]}]
                    Stubborn:
                      command: -c 'trap "" TERM; while :; do echo ignoring on $(hostname); sleep 1; done'
                      bin_path: /bin/sh
                      remote: [{hosts: [da-h2]}]
                """;
        try (MasterRun run = start(yaml, "--max-running-time", "20", "--timeout", "5")) {
            run.awaitLine(l -> l.contains("polite on da-h1"), LIMIT);
            run.awaitLine(l -> l.contains("ignoring on da-h2"), LIMIT);
            assertThat(run.awaitExit(LIMIT)).isZero();
            List<String> lines = run.lines();
            assertThat(lines).anyMatch(l -> l.contains("[master] Stopping... (--max-running-time of 20s reached)"));
            assertThat(lines).anyMatch(l -> l.contains("[Polite] [da-h1] [") && l.contains("] Stopped (exit code 0)"));
            assertThat(lines).anyMatch(l -> l.contains("[Stubborn] [da-h2] [") && l.contains("] Stopped (killed by signal 9"));
            for (String host : List.of("da-h1", "da-h2")) {
                assertThat(HOSTS.processesOn(host)).as("left on %s", host)
                        .noneMatch(p -> p.commandLine().contains("polite on") || p.commandLine().contains("ignoring on"));
            }
        }
    }

    /** Regression (one-model issue, defect 1): restart of a remote process did nothing, so max_memory never acted. */
    @Test
    void aRemoteProcessOverMaxMemoryIsRestartedGracefully() throws Exception {
        String yaml = """
                distributed_architecture:
                  groups:
                    Heavy:
                      command: test:scripted
                      max_memory: 8M
                      params: {script: ["work 600"]}
                      remote: [{hosts: [da-h1]}]
                """;
        try (MasterRun run = start(yaml)) {
            run.awaitLine(l -> l.contains("[Heavy] [da-h1] [test:scripted/1/1] Stopping... (memory ")
                    && l.contains("above max_memory 8.0 MiB"), LIMIT);
            run.awaitLine(l -> l.contains("[Heavy] [da-h1] [test:scripted/1/1] Started (pid")
                    && run.lines().stream().filter(x -> x.contains("/1/1] Started (pid")).count() >= 2, LIMIT);
            assertThat(run.lines()).noneMatch(l -> l.contains("Given up"));
            run.process.toHandle().destroy();
            assertThat(run.awaitExit(LIMIT)).isZero();
        }
    }

    /** Regression (one-model issue, defect 1): a remote stop ignored the group's stop_timeout grace. */
    @Test
    void aRemoteSuspendGivesTheGroupsStopTimeoutThenKills() throws Exception {
        String yaml = """
                distributed_architecture:
                  groups:
                    Deaf:
                      command: -c 'trap "" TERM; echo deaf on $(hostname); while :; do sleep 1; done'
                      bin_path: /bin/sh
                      stop_timeout: 2
                      remote: [{hosts: [da-h2]}]
                """;
        try (MasterRun run = start(yaml)) {
            run.awaitLine(l -> l.contains("deaf on da-h2"), LIMIT);
            long before = System.nanoTime();
            Cli suspend = Cli.run(dir, "suspend", "Deaf");
            assertThat(suspend.exit()).as(suspend.err()).isZero();
            run.awaitLine(l -> l.contains("[Deaf] [da-h2] [") && l.contains("did not stop within 2s, force kill"), LIMIT);
            run.awaitLine(l -> l.contains("[Deaf] [da-h2] [") && l.contains("Stopped (killed by signal 9"), LIMIT);
            // The master's --timeout is 300 s: only the group's 2 s grace explains a kill this soon.
            assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(60));
            assertThat(countOn("da-h2", "deaf on")).isZero();
            Cli.run(dir, "stop");
            assertThat(run.awaitExit(LIMIT)).isZero();
        }
    }

    /** Regression (one-model issue, defect 2): a connected relay's own frames kept --timeout from ever firing. */
    @Test
    void theMastersTimeoutFiresWhileARelayIsConnected() throws Exception {
        String yaml = """
                distributed_architecture:
                  groups:
                    Mute:
                      command: -c 'exec sleep 600'
                      bin_path: /bin/sh
                      timeout: 600
                      remote: [{hosts: [da-h3]}]
                """;
        try (MasterRun run = start(yaml, "--timeout", "5")) {
            assertThat(run.awaitExit(LIMIT)).isEqualTo(1);
            assertThat(run.lines()).anyMatch(l -> l.contains("[master] Timeout waiting for content, force kill"));
            assertThat(countOn("da-h3", "sleep 600")).isZero();
        }
    }

    @Test
    void aMasterKilledWithSigkillLeavesNoRemoteProcess() throws Exception {
        String yaml = """
                distributed_architecture:
                  groups:
                    Orphans:
                      command: %s
                      bin_path: /bin/sh
                      remote: [{instances_count: 2, hosts: [da-h1, da-h2]}]
                    JavaOrphans:
                      command: test:scripted
                      params: {script: ["work 600"]}
                      remote: [{hosts: [da-h3]}]
                """.formatted(SHELL_WORKER);
        try (MasterRun run = start(yaml)) {
            run.awaitLine(l -> l.contains("on da-h2 as 4/4/4"), LIMIT);
            run.awaitLine(l -> l.contains("[JavaOrphans] [da-h3]") && l.contains("working"), LIMIT);
            run.process.destroyForcibly();
            run.process.waitFor();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline && HOSTS.names().stream()
                    .anyMatch(h -> countOn(h, "sleep 600") + countOn(h, "__relay") + countOn(h, "ScriptedWorker") > 0)) {
                Thread.sleep(250);
            }
            for (String host : HOSTS.names()) {
                assertThat(HOSTS.processesOn(host)).as("processes left on %s", host)
                        .noneMatch(p -> p.commandLine().contains("sleep 600") || p.commandLine().contains("__relay")
                                || p.commandLine().contains("TestApp"));
            }
        }
    }

    @Test
    void anOperatorStopsStartsAndSignalsARemoteProcessThroughItsRelay() throws Exception {
        String yaml = """
                distributed_architecture:
                  groups:
                    Remote:
                      command: -c 'trap "echo got USR1 as $DA_ID" USR1; while true; do echo tick; sleep 1; done'
                      bin_path: /bin/sh
                      stop_timeout: 5
                      remote: [{instances_count: 2, hosts: [da-h1]}]
                """;
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        java.util.function.Function<Integer, String> stateOf = id -> {
            try {
                Cli c = Cli.run(dir, "status", "--json");
                for (var p : json.readTree(c.out()).path("processes")) {
                    if (p.path("id").asInt() == id) {
                        return p.path("state").asText() + (p.path("held").isNull() ? "" : " held");
                    }
                }
                return "absent";
            } catch (Exception e) {
                return "no status: " + e;
            }
        };
        try (MasterRun run = start(yaml)) {
            run.awaitLine(l -> l.contains("[Remote] [da-h1]") && l.contains("/2/2] tick"), LIMIT);
            run.awaitLine(l -> l.contains("[Remote] [da-h1]") && l.contains("/1/1] tick"), LIMIT);

            Cli signal = Cli.run(dir, "signal", "USR1", "--host", "da-h1");
            assertThat(signal.exit()).as(signal.err()).isZero();
            assertThat(signal.out()).contains("Sent SIGUSR1 to 2 processes of host \"da-h1\"");
            run.awaitLine(l -> l.contains("[Remote] [da-h1]") && l.endsWith("got USR1 as 1"), LIMIT);
            run.awaitLine(l -> l.contains("[Remote] [da-h1]") && l.endsWith("got USR1 as 2"), LIMIT);

            Cli stop = Cli.run(dir, "stop", "Remote/1", "--host", "da-h1");
            assertThat(stop.exit()).as(stop.err()).isZero();
            long deadline = System.nanoTime() + LIMIT.toNanos();
            while (System.nanoTime() < deadline && !(stateOf.apply(1).equals("STOPPED held")
                    && countOn("da-h1", "got USR1") == 1)) {
                Thread.sleep(250);
            }
            assertThat(stateOf.apply(1)).isEqualTo("STOPPED held");
            assertThat(countOn("da-h1", "got USR1")).as("one process left on da-h1").isEqualTo(1);
            assertThat(stateOf.apply(2)).isEqualTo("RUNNING");

            assertThat(Cli.run(dir, "start", "Remote/1").exit()).isZero();
            deadline = System.nanoTime() + LIMIT.toNanos();
            while (System.nanoTime() < deadline && !(stateOf.apply(1).equals("RUNNING")
                    && countOn("da-h1", "got USR1") == 2)) {
                Thread.sleep(250);
            }
            assertThat(stateOf.apply(1)).isEqualTo("RUNNING");
            assertThat(countOn("da-h1", "got USR1")).isEqualTo(2);
            assertThat(Cli.run(dir, "stop").exit()).isZero();
            assertThat(run.awaitExit(LIMIT)).isZero();
        }
        assertThat(countOn("da-h1", "got USR1")).isZero();
    }
}
