package org.distarch.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.distarch.it.hosts.TestHosts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A remote process's stderr, through its relay, is a warn line of that process in {@code distarch logs}; a remote
 * process's flood of lines (many to a relay frame) arrives complete and in order.
 */
@ExtendWith(NoStrayProcesses.class)
class RemoteLogsIT {

    @RegisterExtension
    static final TestHosts HOSTS = TestHosts.of(1);

    private static final Duration LIMIT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @Test
    void aRemoteStderrLineShowsAsWarnAndItsStdoutAsInfo() throws Exception {
        String yaml = """
                distributed_architecture:
                  groups:
                    R:
                      command: -c 'echo "to stdout on $(hostname)"; echo "to stderr on $(hostname)" >&2; exec sleep 600'
                      bin_path: /bin/sh
                      remote:
                        - hosts: [da-h1]
                """;
        try (MasterRun run = MasterRun.start(dir, yaml, "--ssh-config", HOSTS.sshConfig().toString())) {
            run.awaitLine(l -> l.contains("[R] [da-h1] [") && l.endsWith("to stderr on da-h1"), LIMIT);
            run.awaitLine(l -> l.endsWith("to stdout on da-h1"), LIMIT);
            Cli logs = Cli.run(dir, "logs", "--lines", "5", "R/1");
            assertThat(logs.exit()).as(logs.err()).isZero();
            List<String> lines = logs.out().lines().toList();
            assertThat(lines).anyMatch(l -> l.endsWith(" WARN  R/1 (id 1, da-h1) stderr: to stderr on da-h1"))
                    .anyMatch(l -> l.endsWith(" INFO  R/1 (id 1, da-h1) stdout: to stdout on da-h1"));
            assertThat(run.lines()).anyMatch(l -> l.contains(" WARN  [R] [da-h1] [") && l.endsWith("to stderr on da-h1"));
        }
    }

    /** Relay protocol 4 batches a busy process's lines; none may be lost, doubled or reordered on the way. */
    @Test
    void aRemoteFloodArrivesEveryLineInOrder() throws Exception {
        int count = 100_000;
        String yaml = """
                distributed_architecture:
                  groups:
                    R:
                      command: -c 'seq 1 %d; exec sleep 600'
                      bin_path: /bin/sh
                      remote:
                        - hosts: [da-h1]
                """.formatted(count);
        try (MasterRun run = MasterRun.start(dir, yaml, "--ssh-config", HOSTS.sshConfig().toString())) {
            run.awaitLine(l -> l.contains("[R] [da-h1] [") && l.endsWith("] " + count), LIMIT);
            List<String> numbers = run.lines().stream().filter(l -> l.contains("[R] [da-h1] ["))
                    .map(l -> l.substring(l.lastIndexOf("] ") + 2)).filter(t -> t.matches("[0-9]+")).toList();
            assertThat(numbers).hasSize(count);
            for (int i = 0; i < count; i++) {
                if (!numbers.get(i).equals(Integer.toString(i + 1))) {
                    throw new AssertionError("line " + (i + 1) + " arrived as " + numbers.get(i));
                }
            }
        }
    }
}
