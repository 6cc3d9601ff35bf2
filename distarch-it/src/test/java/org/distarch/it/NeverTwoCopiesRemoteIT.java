package org.distarch.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.distarch.it.hosts.TestHosts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression (issue 16, defect 1, remotely): the host lock went with the relay's JVM, not with its workers, so
 * after a SIGKILL of the relay the next one started a replacement while the old worker was still finishing (two
 * copies), and a stopped or SIGTERM-deaf worker outlived its relay for good (three processes for two slots).
 * Now the next relay reads the journal beside the lock, waits for the old workers, kills them after their grace.
 */
@ExtendWith(NoStrayProcesses.class)
class NeverTwoCopiesRemoteIT {

    @RegisterExtension
    static final TestHosts HOSTS = TestHosts.of(1);

    private static final Duration LIMIT = Duration.ofSeconds(90);

    @TempDir
    Path dir; // under /tmp, which the test hosts share: the worker script is there for them too

    private static final String SLOW_TO_STOP = """
            trap 'trap "" TERM; stopping=1; sleep 12; exit 0' TERM
            echo "started $$"
            while :; do sleep 1; [ -z "$stopping" ] && echo tick; done
            """;

    private static final String DEAF = """
            trap '' TERM PIPE
            echo "started $$"
            while :; do sleep 1; echo tick; done
            """;

    @Test
    void aRelayKilledWithSigkillIsFollowedByOneThatWaitsForItsSlowToStopWorker() throws Exception {
        String marker = "never-two-remote-" + UUID.randomUUID();
        try (MasterRun run = start(SLOW_TO_STOP, marker, 20)) {
            String first = run.awaitLine(l -> l.contains("[Slow] [da-h1]") && l.contains("] started "), LIMIT);
            long worker = Long.parseLong(first.substring(first.lastIndexOf(' ') + 1));
            Watch watch = new Watch(marker);
            try {
                killRelay();
                run.awaitLine(l -> l.contains("Waiting up to 20 s for ") && l.contains(" of the previous relay (pid")
                        && l.matches(".*[ (]" + worker + "[,)].*"), LIMIT);
                run.awaitLine(l -> l.matches(".* of the previous relay ha(s|ve) ended \\(pids? .*")
                        && l.matches(".*[ (]" + worker + "[,)].*"), LIMIT);
                run.awaitLine(l -> l.contains("[Slow] [da-h1]") && l.contains("] started ") && !l.endsWith(" " + worker),
                        LIMIT);
            } finally {
                assertThat(watch.stop()).as("most copies of the instance on da-h1 at once").isEqualTo(1);
            }
            assertThat(countOn(marker)).isEqualTo(1);
            run.process.toHandle().destroy();
            assertThat(run.awaitExit(LIMIT)).isZero();
        }
        assertThat(countOn(marker)).isZero();
    }

    @Test
    void aStoppedSigtermDeafWorkerOfAKilledRelayIsKilledAfterItsGrace() throws Exception {
        String marker = "never-two-stopped-" + UUID.randomUUID();
        try (MasterRun run = start(DEAF, marker, 3)) {
            String first = run.awaitLine(l -> l.contains("[Slow] [da-h1]") && l.contains("] started "), LIMIT);
            long worker = Long.parseLong(first.substring(first.lastIndexOf(' ') + 1));
            assertThat(HOSTS.ssh("da-h1", "kill -STOP " + worker).succeeded()).isTrue();
            Watch watch = new Watch(marker);
            try {
                killRelay();
                run.awaitLine(l -> l.contains("Killed ") && l.contains(" of the previous relay that outlived the grace")
                        && l.matches(".*[ (]" + worker + "[,)].*"), LIMIT);
                run.awaitLine(l -> l.contains("[Slow] [da-h1]") && l.contains("] started ") && !l.endsWith(" " + worker),
                        LIMIT);
            } finally {
                assertThat(watch.stop()).as("most copies of the instance on da-h1 at once").isEqualTo(1);
            }
            assertThat(HOSTS.processesOn("da-h1")).noneMatch(p -> p.pid() == worker);
            run.process.toHandle().destroy();
            run.awaitExit(LIMIT);
        }
        assertThat(countOn(marker)).isZero();
    }

    private MasterRun start(String script, String marker, int stopTimeout) throws Exception {
        Path worker = dir.resolve("worker.sh");
        Files.writeString(worker, script);
        String yaml = """
                distributed_architecture:
                  groups:
                    Slow:
                      command: %s %s
                      bin_path: /bin/sh
                      stop_timeout: %d
                      remote: [{hosts: [da-h1]}]
                """.formatted(worker, marker, stopTimeout);
        return MasterRun.start(dir, yaml, "--ssh-config", HOSTS.sshConfig().toString(), "--timeout", "20");
    }

    private static void killRelay() {
        List<TestHosts.HostProcess> relays = HOSTS.processesOn("da-h1").stream()
                .filter(p -> p.commandLine().contains("__relay") && p.commandLine().contains("java")).toList();
        assertThat(relays).hasSize(1);
        assertThat(HOSTS.ssh("da-h1", "kill -KILL " + relays.get(0).pid()).succeeded()).isTrue();
    }

    /** Live copies of the instance on da-h1 (its worker's command line holds the marker). */
    private static long countOn(String marker) {
        return HOSTS.processesOn("da-h1").stream()
                .filter(p -> p.commandLine().contains(marker) && !p.commandLine().contains("ps -eo")).count();
    }

    /** Counts the copies on da-h1 as often as ps over SSH allows (a few times a second); the most seen. */
    private static final class Watch {
        private final AtomicLong most = new AtomicLong();
        private final Thread thread;
        private volatile boolean running = true;

        Watch(String marker) {
            thread = new Thread(() -> {
                while (running) {
                    try {
                        most.accumulateAndGet(countOn(marker), Math::max);
                    } catch (RuntimeException e) {
                        // a ps that failed: the next one counts
                    }
                }
            }, "copies-watch");
            thread.setDaemon(true);
            thread.start();
        }

        long stop() throws InterruptedException {
            running = false;
            thread.join();
            return most.get();
        }
    }
}
