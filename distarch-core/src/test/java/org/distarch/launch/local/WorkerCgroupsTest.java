package org.distarch.launch.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.distarch.event.ExitStatus;
import org.distarch.launch.LaunchSpec;
import org.distarch.launch.LaunchedWorker;
import org.junit.jupiter.api.Test;

/**
 * Regression (issue 16, defect 7): a grandchild started with {@code setsid} left the worker's process group, so
 * stop and kill missed it, even after the master exited. In a cgroup of its own, it goes with the worker.
 */
class WorkerCgroupsTest {

    @Test
    void theCgroup2MountIsFoundInMountinfoWhereverItIs() {
        assertThat(WorkerCgroups.cgroup2Mount("41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw"))
                .contains(Path.of("/sys/fs/cgroup/unified"));
        assertThat(WorkerCgroups.cgroup2Mount("30 25 0:26 / /sys/fs/cgroup rw,nosuid shared:4 - cgroup2 cgroup2 rw"))
                .contains(Path.of("/sys/fs/cgroup"));
        assertThat(WorkerCgroups.cgroup2Mount("50 31 0:40 / /mnt/with\\040space rw - cgroup2 none rw"))
                .contains(Path.of("/mnt/with space"));
        assertThat(WorkerCgroups.cgroup2Mount("32 31 0:28 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory"))
                .isEmpty();
        assertThat(WorkerCgroups.cgroup2Mount("garbage")).isEmpty();
    }

    @Test
    void aGrandchildThatLeftTheWorkersGroupWithSetsidIsGoneAfterTheStop() throws Exception {
        WorkerCgroups.Opened opened = WorkerCgroups.open();
        assumeTrue(opened.cgroups() != null, opened.notice());
        Path root = opened.cgroups().root();
        List<String> lines = new CopyOnWriteArrayList<>();
        try (WorkerCgroups cgroups = opened.cgroups(); LocalLauncher launcher = new LocalLauncher(64 * 1024)) {
            launcher.useCgroups(cgroups);
            LaunchSpec spec = new LaunchSpec(List.of("sh", "-c", "trap 'exit 0' TERM; "
                    + "setsid sleep 300 </dev/null >/dev/null 2>&1 & echo $!; while :; do sleep 0.1; done"), null, Map.of(), null);
            LaunchedWorker worker = launcher.launch(spec, (stream, line) -> lines.add(line)).toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (lines.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            ProcessHandle grandchild = ProcessHandle.of(Long.parseLong(lines.get(0).trim())).orElseThrow();
            assertThat(grandchild.isAlive()).isTrue();
            assertThat(Files.readString(Path.of("/proc/" + worker.pid() + "/cgroup"))).contains("distarch-");
            worker.askStop();
            ExitStatus exit = worker.exit().toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertThat(exit.code()).isZero();
            assertThat(grandchild.onExit().get(10, TimeUnit.SECONDS).isAlive()).isFalse();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (Files.exists(root) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(root).as("the cgroup tree is removed once empty").doesNotExist();
    }
}
