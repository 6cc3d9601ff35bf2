package org.distarch.it.hosts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.distarch.it.hosts.TestHosts.HostProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves the remote-host fixture the SSH tests stand on: real sshd hosts with their own names,
 * processes and homes, that can be cut off, re-keyed and torn down without leftovers.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TestHostsIT {

    /** ssh_config's ConnectTimeout. */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);

    @RegisterExtension
    static final TestHosts HOSTS = TestHosts.of(3);

    @TempDir
    Path dir;

    @Test
    @Order(1)
    void threeHostsAnswerUnderTheirOwnNames() {
        assertThat(HOSTS.names()).containsExactly("da-h1", "da-h2", "da-h3");
        assertThat(HOSTS.address("da-h2")).isEqualTo("10.231.0.12");
        for (String host : HOSTS.names()) {
            CommandResult hostname = HOSTS.ssh(host, "hostname");
            assertThat(hostname.exitCode()).as("%s", hostname).isZero();
            assertThat(hostname.out()).isEqualTo(host);
        }
        assertThat(HOSTS.ssh("da-h2", "hostname").out()).isEqualTo("da-h2");
        // Hosts reach each other by name, over the bridge, with the same client files.
        assertThat(HOSTS.ssh("da-h1", "ssh -F " + HOSTS.sshConfig() + " da-h3 hostname").out()).isEqualTo("da-h3");

        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            CommandResult trip = HOSTS.ssh("da-h2", "true");
            assertThat(trip.exitCode()).as("%s", trip).isZero();
            millis.add(trip.elapsed().toMillis());
        }
        System.out.println("testhosts: ssh round trips (ms): " + millis);
    }

    @Test
    @Order(2)
    void eachHostSeesOnlyItsOwnProcesses() {
        List<HostProcess> h1 = HOSTS.processesOn("da-h1");
        assertThat(h1).filteredOn(p -> p.pid() == 1).singleElement()
                .satisfies(p -> assertThat(p.commandLine()).contains("sshd").contains("/da-h1/sshd_config"));
        assertThat(h1).hasSizeLessThan(10)
                .noneMatch(p -> p.commandLine().contains("java") || p.commandLine().contains("surefire"))
                .noneMatch(p -> p.commandLine().contains("/da-h2/"));

        String marker = "sleep 4711";
        assertThat(HOSTS.ssh("da-h1", marker + " >/dev/null 2>&1 &").exitCode()).isZero();
        assertThat(HOSTS.ssh("da-h2", marker + " >/dev/null 2>&1 &").exitCode()).isZero();
        assertThat(HOSTS.processesOn("da-h1")).anyMatch(p -> p.commandLine().equals(marker));
        // pkill on one host cannot touch another host's processes.
        assertThat(HOSTS.ssh("da-h1", "pkill -x sleep").exitCode()).isZero();
        awaitTrue("da-h1's sleep gone", () -> HOSTS.processesOn("da-h1").stream()
                .noneMatch(p -> p.commandLine().equals(marker)));
        assertThat(HOSTS.processesOn("da-h2")).anyMatch(p -> p.commandLine().equals(marker));
        assertThat(HOSTS.ssh("da-h2", "pkill -x sleep").exitCode()).isZero();
    }

    @Test
    @Order(3)
    void rootIsPerHostAndTmpIsShared() throws Exception {
        String name = "marker-" + UUID.randomUUID();
        assertThat(HOSTS.ssh("da-h1", "echo from-h1 > /root/" + name).exitCode()).isZero();
        assertThat(HOSTS.ssh("da-h1", "cat /root/" + name).out()).isEqualTo("from-h1");
        assertThat(HOSTS.ssh("da-h2", "test -e /root/" + name).exitCode()).isEqualTo(1);
        assertThat(HOSTS.homeOf("da-h1").resolve(name)).hasContent("from-h1");
        assertThat(Path.of("/root", name)).doesNotExist();

        Path shared = dir.resolve("shared.txt");
        assertThat(HOSTS.ssh("da-h1", "echo from-h1 > " + shared).exitCode()).isZero();
        assertThat(HOSTS.ssh("da-h2", "cat " + shared).out()).isEqualTo("from-h1");
        assertThat(shared).hasContent("from-h1");
    }

    @Test
    @Order(4)
    void cutHostIsUnreachableWhileOthersAnswerAndRestoreBringsItBack() throws Exception {
        Path errors = dir.resolve("ssh.err");
        Process open = new ProcessBuilder(HOSTS.sshCommand("da-h1", "sleep 4712"))
                .redirectInput(new File("/dev/null")).redirectOutput(new File("/dev/null"))
                .redirectError(errors.toFile()).start();
        try {
            awaitTrue("sleep running on da-h1", () -> HOSTS.processesOn("da-h1").stream()
                    .anyMatch(p -> p.commandLine().equals("sleep 4712")));

            long cutAt = System.nanoTime();
            HOSTS.cut("da-h1");
            assertThat(open.waitFor(15, TimeUnit.SECONDS)).as("open ssh noticed the cut within 15 s").isTrue();
            Duration noticed = Duration.ofNanos(System.nanoTime() - cutAt);
            assertThat(open.exitValue()).isEqualTo(255);
            // Noticed by ServerAlive (1 s x 3), not by a reset: the cut closes no connection.
            assertThat(noticed).isBetween(Duration.ofMillis(2500), Duration.ofSeconds(8));

            CommandResult refused = HOSTS.ssh("da-h1", "true", Duration.ofSeconds(15));
            assertThat(refused.exitCode()).as("%s", refused).isEqualTo(255);
            assertThat(refused.stderr()).contains("Connection timed out");
            assertThat(refused.elapsed()).isBetween(CONNECT_TIMEOUT.minusMillis(500), CONNECT_TIMEOUT.plusSeconds(2));
            CommandResult other = HOSTS.ssh("da-h2", "hostname");
            assertThat(other.out()).as("%s", other).isEqualTo("da-h2");
            System.out.printf("testhosts: cut noticed by an open ssh after %d ms; a new ssh failed after %d ms%n",
                    noticed.toMillis(), refused.elapsed().toMillis());
        } finally {
            HOSTS.restore("da-h1");
            open.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        awaitTrue("da-h1 answers again", () -> HOSTS.ssh("da-h1", "true").succeeded());
        // A command started over SSH outlives the lost connection: a relay must notice the loss itself.
        assertThat(HOSTS.processesOn("da-h1")).anyMatch(p -> p.commandLine().equals("sleep 4712"));
        assertThat(HOSTS.ssh("da-h1", "pkill -x sleep").exitCode()).isZero();
    }

    @Test
    @Order(5)
    void changedHostKeyIsRefused() {
        HOSTS.rekey("da-h3");
        CommandResult refused = HOSTS.ssh("da-h3", "true");
        assertThat(refused.exitCode()).as("%s", refused).isEqualTo(255);
        assertThat(refused.stderr()).contains("REMOTE HOST IDENTIFICATION HAS CHANGED")
                .contains("Host key verification failed");
        assertThat(HOSTS.ssh("da-h2", "true").exitCode()).isZero();

        HOSTS.trust("da-h3");
        assertThat(HOSTS.ssh("da-h3", "hostname").out()).isEqualTo("da-h3");
    }

    @Test
    @Order(6)
    void downLeavesNoNamespaceNoBridgeAndNoProcess() {
        assertThat(HOSTS.ssh("da-h2", "sleep 4713 >/dev/null 2>&1 &").exitCode()).isZero();
        String state = HOSTS.stateDir().toString();
        List<ProcessHandle> before = ProcessHandle.allProcesses().filter(p -> mentions(p, state)).toList();
        assertThat(before).hasSizeGreaterThanOrEqualTo(3);

        HOSTS.downHoldingLock();
        try {
            checkNothingLeft(before, state);
        } finally {
            HOSTS.down(); // lets the lock go
        }
    }

    private static void checkNothingLeft(List<ProcessHandle> before, String state) {
        assertThat(run("ip", "netns", "list").stdout()).doesNotContain("da-h");
        assertThat(run("ip", "link", "show", "da-br0").exitCode()).isNotZero();
        assertThat(run("ip", "-o", "link", "show").stdout()).doesNotContain("da-v").doesNotContain("da-br0");
        awaitTrue("the hosts' sshd and unshare processes ended", () -> before.stream().noneMatch(ProcessHandle::isAlive));
        awaitTrue("no process of the hosts left", () -> ProcessHandle.allProcesses()
                .noneMatch(p -> mentions(p, state) || mentions(p, "sleep 4713")));
        assertThat(HOSTS.stateDir()).doesNotExist();
    }

    @AfterEach
    void noChildProcessLeft() {
        awaitTrue("no child process of the test JVM left", () -> ProcessHandle.current().children()
                .noneMatch(ProcessHandle::isAlive));
    }

    private static boolean mentions(ProcessHandle process, String text) {
        return process.isAlive() && process.info().commandLine().orElse("").contains(text);
    }

    private static CommandResult run(String... command) {
        return Commands.run(List.of(command), Duration.ofSeconds(10));
    }

    private static void awaitTrue(String what, Supplier<Boolean> condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not within 10 s");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(what + ": interrupted", e);
            }
        }
    }
}
