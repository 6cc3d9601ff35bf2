package org.distarch.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Floods, garbage, huge lines and a master killed with SIGKILL: nothing is lost, nothing is left. */
@ExtendWith(NoStrayProcesses.class)
class RobustnessIT {

    private static final Duration LIMIT = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    @Test
    void aMillionLinesArriveWholeAndInOrder() throws Exception {
        String yaml = """
                distributed_architecture:
                  groups:
                    Flood:
                      command: test:scripted
                      params: {script: ["print 1000000"]}
                      local: ~
                """;
        try (MasterRun run = MasterRun.start(dir, yaml)) {
            assertThat(run.awaitExit(LIMIT)).isZero();
            String prefix = " INFO  [Flood] [localhost] [test:scripted/1/1] line ";
            int expected = 1;
            try (BufferedReader in = Files.newBufferedReader(run.log, StandardCharsets.UTF_8)) {
                String line;
                while ((line = in.readLine()) != null) {
                    int at = line.indexOf(prefix);
                    if (at < 0) {
                        continue;
                    }
                    assertThat(line.substring(at + prefix.length())).isEqualTo(Integer.toString(expected));
                    expected++;
                }
            }
            assertThat(expected - 1).isEqualTo(1_000_000);
        }
    }

    @Test
    void garbageBinaryAndAHundredMegabyteLineDoNotHurtTheMaster() throws Exception {
        String yaml = """
                distributed_architecture:
                  groups:
                    Garbage:
                      command: test:scripted
                      params: {script: ["garbage", "huge-line 100000000", "say survived"]}
                      local: ~
                    Neighbour:
                      command: test:scripted
                      params: {script: ["say neighbour fine"]}
                      local: ~
                """;
        try (MasterRun run = MasterRun.start(dir, yaml)) {
            assertThat(run.awaitExit(LIMIT)).isZero();
            List<String> lines = run.lines();
            assertThat(lines).anyMatch(l -> l.endsWith("[Garbage] [localhost] [test:scripted/1/1] after-garbage"));
            assertThat(lines).anyMatch(l -> l.contains("[truncated ") && l.length() < 70_000);
            assertThat(lines).anyMatch(l -> l.endsWith("after-huge"));
            assertThat(lines).anyMatch(l -> l.endsWith("survived"));
            assertThat(lines).anyMatch(l -> l.endsWith("neighbour fine"));
            assertThat(lines).noneMatch(l -> l.indexOf('\u001b') >= 0 || l.indexOf('\0') >= 0);
            assertThat(Files.size(run.log)).isLessThan(1_000_000);
        }
    }

    @Test
    void workersOfAMasterKilledWithSigkillAreGoneWithinSeconds() throws Exception {
        Path script = ShellWorkers.copy(dir, "shell-worker.sh");
        String yaml = """
                distributed_architecture:
                  groups:
                    Java:
                      command: test:scripted
                      params: {script: ["work 600"]}
                      local: {instances_count: 2}
                    Shell:
                      command: %s
                      bin_path: /bin/sh
                      local: {instances_count: 2}
                """.formatted(script);
        try (MasterRun run = MasterRun.start(dir, yaml)) {
            run.awaitLine(l -> l.contains("[test:scripted/2/2] working"), LIMIT);
            run.awaitLine(l -> l.contains("[Shell] [localhost]") && l.contains("shell worker 4/2/2"), LIMIT);
            List<ProcessHandle> workers = run.tree();
            assertThat(workers).hasSizeGreaterThanOrEqualTo(4);
            run.process.destroyForcibly();
            run.process.waitFor();
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (workers.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(workers.stream().filter(ProcessHandle::isAlive).map(p -> CommandLines.of(p)))
                    .as("workers still alive after the master was killed").isEmpty();
        }
    }
}
