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

/** A remote process's stderr, through its relay, is a warn line of that process in {@code distarch logs}. */
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
}
