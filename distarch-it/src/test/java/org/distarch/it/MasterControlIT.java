package org.distarch.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Signals to the master, its fleet-wide timeout, pre-run checks, priority and working directory. */
@ExtendWith(NoStrayProcesses.class)
class MasterControlIT {

    private static final Duration LIMIT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    private static void signal(Process p, String signal) throws Exception {
        new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor();
    }

    @Test
    void sigtermStopsTheFleetGracefully() throws Exception {
        String yaml = """
                distributed_architecture:
                  groups:
                    W:
                      command: test:scripted
                      params: {script: ["work 600"]}
                      local: {instances_count: 2}
                """;
        try (MasterRun run = MasterRun.start(dir, yaml)) {
            // Both must be at work: a JVM signalled before its worker runtime handles SIGTERM dies of it.
            run.awaitLine(l -> l.contains("[test:scripted/1/1] working"), LIMIT);
            run.awaitLine(l -> l.contains("[test:scripted/2/2] working"), LIMIT);
            signal(run.process, "TERM");
            assertThat(run.awaitExit(LIMIT)).isZero();
            assertThat(run.lines()).anyMatch(l -> l.contains("[master] Stopping... (Received SIGTERM, stopping)"));
            assertThat(run.lines()).filteredOn(l -> l.contains("] Stopped (exit code 0)")).hasSize(2);
        }
    }

    @Test
    void sighupStopsAForegroundMasterGracefullyItsTerminalWentAway() throws Exception {
        try (MasterRun run = MasterRun.start(dir, WORKING)) {
            run.awaitLine(l -> l.contains("[test:scripted/1/1] working"), LIMIT);
            signal(run.process, "HUP");
            assertThat(run.awaitExit(LIMIT)).isZero();
            assertThat(run.lines()).anyMatch(l -> l.contains("[master] Stopping... (Received SIGHUP (terminal closed), "
                    + "stopping)"));
            assertThat(run.lines()).filteredOn(l -> l.contains("] Stopped (exit code 0)")).hasSize(1);
        }
    }

    @Test
    void startedWithHupAndTermIgnoredTheMasterKeepsHupIgnoredAndTakesTermBack() throws Exception {
        // What nohup (HUP) or an init script's `trap` leaves to a child, through exec: the JVM alone would keep both.
        Files.writeString(dir.resolve("distarch.yaml"), WORKING);
        List<String> ignoring = List.of("sh", "-c", "trap '' HUP TERM; exec \"$@\"", "sh");
        try (MasterRun run = MasterRun.startUnder(dir, ignoring, TestApp.class,
                List.of("run-master", "--config", dir.resolve("distarch.yaml").toString()))) {
            run.awaitLine(l -> l.contains("[test:scripted/1/1] working"), LIMIT);
            assertThat(run.lines()).anyMatch(l -> l.endsWith("[master] SIGHUP is ignored (started under nohup?): the "
                    + "master keeps running when its terminal closes"));
            assertThat(run.lines()).anyMatch(l -> l.endsWith("[master] SIGTERM was ignored by the process that "
                    + "started the master: it stops the master gracefully all the same"));
            signal(run.process, "HUP");
            Thread.sleep(1000);
            assertThat(run.process.isAlive()).as("an ignored SIGHUP leaves the master running").isTrue();
            signal(run.process, "TERM");
            assertThat(run.awaitExit(LIMIT)).isZero();
            assertThat(run.lines()).anyMatch(l -> l.contains("[master] Stopping... (Received SIGTERM, stopping)"));
            assertThat(run.lines()).filteredOn(l -> l.contains("] Stopped (exit code 0)")).hasSize(1);
        }
    }

    private static final String WORKING = """
            distributed_architecture:
              groups:
                W:
                  command: test:scripted
                  params: {script: ["work 600"]}
                  local: ~
            """;

    @Test
    void aSecondCtrlCKillsWhatTheFirstOneCouldNotStop() throws Exception {
        String yaml = """
                distributed_architecture:
                  groups:
                    Stubborn:
                      command: test:scripted
                      params: {script: ["ignore-term", "say ignoring", "hang"]}
                      local: ~
                """;
        try (MasterRun run = MasterRun.start(dir, yaml)) {
            run.awaitLine(l -> l.endsWith("ignoring"), LIMIT);
            signal(run.process, "INT");
            run.awaitLine(l -> l.contains("press Ctrl-C again to kill"), LIMIT);
            Thread.sleep(500);
            assertThat(run.process.isAlive()).as("one Ctrl-C waits for the stubborn worker").isTrue();
            signal(run.process, "INT");
            assertThat(run.awaitExit(LIMIT)).isZero();
            assertThat(run.lines()).anyMatch(l -> l.contains("[master] Forced stop: killing every process"));
            assertThat(run.lines()).anyMatch(l -> l.contains("Stopped (killed by signal 9 (SIGKILL))"));
        }
    }

    @Test
    void aFleetSilentForTheMasterTimeoutIsKilled() throws Exception {
        String yaml = """
                distributed_architecture:
                  groups:
                    Quiet:
                      command: test:scripted
                      timeout: 600
                      params: {script: ["say going quiet", "silent 600"]}
                      local: {instances_count: 2}
                """;
        try (MasterRun run = MasterRun.start(dir, yaml, "--timeout", "5")) {
            assertThat(run.awaitExit(LIMIT)).isEqualTo(1);
            List<String> lines = run.lines();
            assertThat(lines).anyMatch(l -> l.contains("ERROR [master] Timeout waiting for content, force kill"));
            assertThat(lines).filteredOn(l -> l.contains("Stopped (killed by signal 9 (SIGKILL))")).hasSize(2);
        }
    }

    @Test
    void aGroupWhosePreRunCheckFailsIsSkippedAndTheOthersRun() throws Exception {
        String yaml = """
                distributed_architecture:
                  groups:
                    Refused:
                      command: test:scripted
                      params: {pre_run_check: fail, script: ["say should never run"]}
                      local: {instances_count: 2}
                    Fine:
                      command: test:scripted
                      params: {script: ["say ran"]}
                      local: ~
                """;
        try (MasterRun run = MasterRun.start(dir, yaml)) {
            assertThat(run.awaitExit(LIMIT)).isEqualTo(1);
            List<String> lines = run.lines();
            assertThat(lines).anyMatch(l -> l.contains("[Refused] [localhost] [master] pre-run check of Refused refuses to run"));
            assertThat(lines).anyMatch(l -> l.contains("[master] Pre-run check of group \"Refused\" failed: the group is skipped"));
            assertThat(lines).noneMatch(l -> l.contains("should never run"));
            assertThat(lines).anyMatch(l -> l.endsWith("[Fine] [localhost] [test:scripted/3/1] ran"));
        }
    }

    @Test
    void priorityAndWorkingDirectoryApplyToTheWorker() throws Exception {
        Path workdir = Files.createDirectory(dir.resolve("work dir"));
        String yaml = """
                distributed_architecture:
                  groups:
                    Niced:
                      command: -c 'echo "nice=$(cut -d" " -f19 /proc/$$/stat) cwd=$(pwd)"'
                      bin_path: /bin/sh
                      priority: 7
                      path: %s
                      local: ~
                """.formatted(workdir);
        try (MasterRun run = MasterRun.start(dir, yaml)) {
            assertThat(run.awaitExit(LIMIT)).isZero();
            assertThat(run.lines()).anyMatch(l -> l.endsWith("nice=7 cwd=" + workdir));
        }
    }
}
