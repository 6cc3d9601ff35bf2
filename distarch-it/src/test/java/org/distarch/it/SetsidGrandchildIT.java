package org.distarch.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression (issue 16, defect 7): a grandchild started with {@code setsid} left the worker's process group, so
 * the stop missed it and it outlived the master. Where workers run in cgroups of their own (root, cgroup v2), the
 * stop empties the cgroup.
 */
@ExtendWith(NoStrayProcesses.class)
class SetsidGrandchildIT {

    private static final Duration LIMIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void aGrandchildInASessionOfItsOwnIsGoneWhenTheMasterStopsItsWorker() throws Exception {
        Path worker = dir.resolve("daemonizing.sh");
        Files.writeString(worker, """
                setsid sleep 300 </dev/null >/dev/null 2>&1 &
                echo "grandchild $!"
                trap 'exit 0' TERM
                while :; do sleep 1; echo tick; done
                """);
        String yaml = """
                distributed_architecture:
                  groups:
                    Daemonizing:
                      command: %s
                      bin_path: /bin/sh
                      local: ~
                """.formatted(worker);
        long grandchild;
        try (MasterRun run = MasterRun.start(dir, yaml, "--pid", dir.resolve("master.pid").toString())) {
            String cgroups = run.awaitLine(l -> l.contains("[master] Workers run in "), LIMIT);
            String line = run.awaitLine(l -> l.contains("[Daemonizing] [localhost]") && l.contains("] grandchild "),
                    LIMIT);
            grandchild = Long.parseLong(line.substring(line.lastIndexOf(' ') + 1));
            try {
                assumeTrue(cgroups.contains("Workers run in cgroups of their own"), cgroups);
                assertThat(ProcessHandle.of(grandchild).map(ProcessHandle::isAlive)).contains(true);
                run.process.toHandle().destroy();
                assertThat(run.awaitExit(LIMIT)).isZero();
                // Gone means not running: the orphan's zombie waits for this machine's init, which may reap lazily.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (running(grandchild) && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertThat(running(grandchild)).as("the setsid grandchild " + grandchild + " outlived the stop")
                        .isFalse();
            } finally {
                ProcessHandle.of(grandchild).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    /** Whether the process exists and is not a zombie waiting to be reaped. */
    private static boolean running(long pid) {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", Long.toString(pid), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
