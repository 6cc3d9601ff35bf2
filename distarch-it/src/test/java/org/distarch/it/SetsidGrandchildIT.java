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
                ProcessHandle.of(grandchild).ifPresent(p -> {
                    try {
                        p.onExit().get(10, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        throw new AssertionError("the setsid grandchild " + grandchild + " outlived the stop", e);
                    }
                });
                assertThat(ProcessHandle.of(grandchild).filter(ProcessHandle::isAlive)).isEmpty();
            } finally {
                ProcessHandle.of(grandchild).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }
}
