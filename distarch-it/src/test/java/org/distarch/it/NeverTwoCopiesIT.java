package org.distarch.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression (issue 16, defect 1): after {@code kill -9} of the master and an immediate {@code run-master}, the
 * new master started a replacement while the old worker was still finishing its job after the parent-death
 * SIGTERM: two copies of one instance for as long as the old one took to stop. Now the new master waits for the
 * previous one's workers (its journal beside the pid file), kills them after their grace, and says so.
 */
@ExtendWith(NoStrayProcesses.class)
class NeverTwoCopiesIT {

    private static final Duration LIMIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    /**
     * A worker that, as the protocol allows, takes its time (12 s, within its stop_timeout of 20) to finish after
     * SIGTERM: longer than a new master takes to start on a busy machine. It prints nothing once asked to stop: its
     * stdout is a pipe to the dead master, and a write there is SIGPIPE.
     */
    private static final String SLOW_TO_STOP = """
            trap 'trap "" TERM; stopping=1; sleep 12; exit 0' TERM
            echo "started $$"
            while :; do sleep 1; [ -z "$stopping" ] && echo tick; done
            """;

    /** A worker deaf to SIGTERM. */
    private static final String DEAF = """
            trap '' TERM PIPE
            echo "started $$"
            while :; do sleep 1; echo tick; done
            """;

    @Test
    void aMasterStartedRightAfterOneKilledWithSigkillWaitsForTheSlowToStopWorkerBeforeItsReplacement() throws Exception {
        String marker = "never-two-" + UUID.randomUUID();
        String yaml = config(SLOW_TO_STOP, marker, 20);
        Path pid = dir.resolve("master.pid");
        List<Long> orphans = new ArrayList<>();
        try (MasterRun first = MasterRun.start(dir, yaml, "--pid", pid.toString())) {
            first.awaitLine(l -> l.contains("[Slow] [localhost]") && l.contains("started"), LIMIT);
            assertThat(copies(marker)).hasSize(1);
            orphans.addAll(copies(marker));
            Files.move(first.log, dir.resolve("first.log"));
            Copies watch = Copies.watch(marker);
            first.process.destroyForcibly();
            first.process.waitFor();
            try (MasterRun second = MasterRun.start(dir, yaml, "--pid", pid.toString())) {
                // The worker and, with cgroups, what runs in its cgroup (its sleep): one process or more.
                String waiting = second.awaitLine(l -> l.contains("Waiting up to 20 s for ") && l.contains(
                        " of the previous master (pid") && l.matches(".*[ (]" + orphans.get(0) + "[,)].*"), LIMIT);
                second.awaitLine(l -> l.matches(".* of the previous master ha(s|ve) ended \\(pids? .*")
                        && l.matches(".*[ (]" + orphans.get(0) + "[,)].*"), LIMIT);
                second.awaitLine(l -> l.contains("[Slow] [localhost]") && l.contains("started"), LIMIT);
                assertThat(waiting).doesNotContain("[Slow]");
                List<Long> now = copies(marker);
                assertThat(now).hasSize(1).doesNotContainAnyElementsOf(orphans);
                assertThat(watch.stop()).as("most copies of the instance alive at once").isEqualTo(1);
                second.process.toHandle().destroy();
                assertThat(second.awaitExit(LIMIT)).isZero();
            } finally {
                watch.stop();
            }
        } finally {
            orphans.forEach(p -> ProcessHandle.of(p).ifPresent(ProcessHandle::destroyForcibly));
            // a master killed by a failing assertion leaves its worker to nobody: never to the next test
            copies(marker).forEach(p -> ProcessHandle.of(p).ifPresent(ProcessHandle::destroyForcibly));
        }
        assertThat(copies(marker)).isEmpty();
        assertThat(dir.resolve("master.workers")).as("journal removed once its workers are gone").doesNotExist();
    }

    @Test
    void aWorkerDeafToSigtermOfAMasterKilledWithSigkillIsKilledAfterItsGraceBeforeItsReplacement() throws Exception {
        String marker = "never-two-deaf-" + UUID.randomUUID();
        String yaml = config(DEAF, marker, 2);
        Path pid = dir.resolve("master.pid");
        List<Long> orphans = new ArrayList<>();
        try (MasterRun first = MasterRun.start(dir, yaml, "--pid", pid.toString())) {
            first.awaitLine(l -> l.contains("[Slow] [localhost]") && l.contains("started"), LIMIT);
            orphans.addAll(copies(marker));
            Files.move(first.log, dir.resolve("first.log"));
            Copies watch = Copies.watch(marker);
            first.process.destroyForcibly();
            first.process.waitFor();
            try (MasterRun second = MasterRun.start(dir, yaml, "--pid", pid.toString(), "--timeout", "10")) {
                second.awaitLine(l -> l.contains("Waiting up to 2 s for ") && l.contains(" of the previous master (pid"),
                        LIMIT);
                second.awaitLine(l -> l.contains("Killed 1 process of the previous master that outlived the grace "
                        + "(pid " + orphans.get(0) + ")"), LIMIT);
                second.awaitLine(l -> l.contains("[Slow] [localhost]") && l.contains("started"), LIMIT);
                // Gone means not running: an orphan's zombie waits for this machine's init to reap it, which may
                // be lazy (a container's init reaps when it gets to it).
                assertThat(copies(marker)).doesNotContain(orphans.get(0));
                assertThat(watch.stop()).as("most copies of the instance alive at once").isEqualTo(1);
                second.process.toHandle().destroy();
                assertThat(second.awaitExit(LIMIT)).isZero();
            } finally {
                watch.stop();
            }
        } finally {
            orphans.forEach(p -> ProcessHandle.of(p).ifPresent(ProcessHandle::destroyForcibly));
            // a master killed by a failing assertion leaves its worker to nobody: never to the next test
            copies(marker).forEach(p -> ProcessHandle.of(p).ifPresent(ProcessHandle::destroyForcibly));
        }
    }

    private String config(String script, String marker, int stopTimeout) throws IOException {
        Path worker = dir.resolve("worker.sh");
        Files.writeString(worker, script);
        return """
                distributed_architecture:
                  groups:
                    Slow:
                      command: %s %s
                      bin_path: /bin/sh
                      stop_timeout: %d
                      local: ~
                """.formatted(worker, marker, stopTimeout);
    }

    /** Live (not zombie) processes of this machine whose command line holds {@code marker}. */
    static List<Long> copies(String marker) {
        List<Long> found = new ArrayList<>();
        byte[] needle = marker.getBytes(StandardCharsets.UTF_8);
        try (DirectoryStream<Path> proc = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString()
                .chars().allMatch(Character::isDigit))) {
            for (Path p : proc) {
                try {
                    String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8);
                    String stat = Files.readString(p.resolve("stat"));
                    char state = stat.charAt(stat.lastIndexOf(')') + 2);
                    if (cmd.contains(new String(needle, StandardCharsets.UTF_8)) && state != 'Z' && state != 'X') {
                        found.add(Long.parseLong(p.getFileName().toString()));
                    }
                } catch (IOException gone) {
                    // ended meanwhile
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return found;
    }

    /** Samples the number of live copies every 20 ms on a thread of its own; {@link #stop()} gives the most seen. */
    static final class Copies {
        private final AtomicInteger most = new AtomicInteger();
        private final Thread thread;
        private volatile boolean running = true;

        private Copies(String marker) {
            thread = new Thread(() -> {
                while (running) {
                    most.accumulateAndGet(copies(marker).size(), Math::max);
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "copies-watch");
            thread.setDaemon(true);
            thread.start();
        }

        static Copies watch(String marker) {
            return new Copies(marker);
        }

        int stop() throws InterruptedException {
            running = false;
            thread.join();
            return most.get();
        }
    }
}
