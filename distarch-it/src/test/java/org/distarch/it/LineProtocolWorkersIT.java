package org.distarch.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Workers in other languages take part through the documented line protocol. */
@ExtendWith(NoStrayProcesses.class)
class LineProtocolWorkersIT {

    private static final Duration LIMIT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    private void runProtocolWorker(String binPath, String script) throws Exception {
        Path worker = ShellWorkers.copy(dir, script);
        String yaml = """
                distributed_architecture:
                  groups:
                    Polyglot:
                      command: %s 3
                      bin_path: %s
                      timeout: 5
                      params: {colour: green, size: 3}
                      local: {instances_count: 2}
                """.formatted(worker, binPath);
        try (MasterRun run = MasterRun.start(dir, yaml)) {
            assertThat(run.awaitExit(LIMIT)).isZero();
            List<String> lines = run.lines();
            assertThat(lines).anyMatch(l -> l.contains("INFO  [Polyglot] [localhost] [" + worker + " 3/2/2]")
                    && l.contains("worker 2/2/2 of Polyglot params={\"colour\":\"green\",\"size\":3}"));
            assertThat(lines).anyMatch(l -> l.contains("WARN  [Polyglot] [localhost] [" + worker + " 3/1/1]"));
            assertThat(lines).noneMatch(l -> l.contains("@@distarch"));
            assertThat(lines).filteredOn(l -> l.endsWith("] Ended")).hasSize(2);
        }
    }

    @Test
    void aShellWorkerLogsWithLevelsPingsAndEndsCleanly() throws Exception {
        runProtocolWorker("/bin/sh", "shell-worker.sh");
    }

    @Test
    void aPythonWorkerDoesTheSame() throws Exception {
        String python = org.distarch.launch.local.Which.find("python3");
        assumeTrue(python != null, "python3 is not installed");
        runProtocolWorker(python, "python-worker.py");
    }

    @Test
    void aShellWorkerStopsOnSigtermWhenAsked() throws Exception {
        Path worker = ShellWorkers.copy(dir, "shell-worker.sh");
        String yaml = """
                distributed_architecture:
                  groups:
                    Shell:
                      command: %s
                      bin_path: /bin/sh
                      local: ~
                """.formatted(worker);
        try (MasterRun run = MasterRun.start(dir, yaml, "--max-running-time", "2")) {
            assertThat(run.awaitExit(LIMIT)).isZero();
            assertThat(run.lines()).anyMatch(l -> l.contains("[Shell] [localhost]") && l.contains("] Stopped ("));
            assertThat(run.lines()).noneMatch(l -> l.contains("force kill"));
        }
    }
}
