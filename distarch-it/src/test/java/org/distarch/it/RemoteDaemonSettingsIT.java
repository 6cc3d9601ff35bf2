package org.distarch.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.distarch.it.hosts.TestHosts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A remote process gets its group's environment and stop signal too: they travel in the relay's launch frame,
 * and the relay's own launcher applies them, against a real OpenSSH server on a test host.
 */
@ExtendWith(NoStrayProcesses.class)
class RemoteDaemonSettingsIT {

    @RegisterExtension
    static final TestHosts HOSTS = TestHosts.of(1);

    private static final Duration LIMIT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @Test
    void environmentAndStopSignalWorkForARemoteProcess() throws Exception {
        String secret = "remote-s3cr3t-" + System.nanoTime();
        Path out = dir.resolve("remote-env.out");
        Path script = Files.writeString(dir.resolve("remote.sh"), """
                trap 'echo got INT on $(hostname); exit 0' INT
                trap 'echo got TERM; exit 0' TERM
                printf '%%s' "$API_TOKEN" > %s
                echo ready on $(hostname)
                while :; do sleep 0.2; done
                """.formatted(out));
        String yaml = """
                distributed_architecture:
                  groups:
                    Remote:
                      command: %s
                      bin_path: /bin/sh
                      stop_signal: INT
                      environment: {API_TOKEN: "${IT_REMOTE_TOKEN}"}
                      remote:
                        - hosts: [da-h1]
                """.formatted(script);
        Path config = Files.writeString(dir.resolve("distarch.yaml"), yaml);
        try (MasterRun run = MasterRun.startRaw(dir, List.of("run-master", "--config", config.toString(),
                "--ssh-config", HOSTS.sshConfig().toString()), "IT_REMOTE_TOKEN=" + secret)) {
            run.awaitLine(l -> l.contains("[Remote] [da-h1] [") && l.endsWith("ready on da-h1"), LIMIT);
            assertThat(Files.readString(out)).isEqualTo(secret);
            // Inside the relay session, never on a command line of the host.
            assertThat(HOSTS.processesOn("da-h1")).isNotEmpty().noneMatch(p -> p.commandLine().contains(secret));
            run.process.destroy();
            assertThat(run.awaitExit(LIMIT)).as(run.tail()).isZero();
            List<String> lines = run.lines();
            assertThat(lines).anyMatch(l -> l.contains("[Remote] [da-h1] [") && l.endsWith("got INT on da-h1"));
            assertThat(lines).noneMatch(l -> l.endsWith("got TERM") || l.contains("force kill"));
            assertThat(Files.readString(run.log)).doesNotContain(secret);
            assertThat(Files.readString(run.events)).doesNotContain(secret);
        }
    }
}
