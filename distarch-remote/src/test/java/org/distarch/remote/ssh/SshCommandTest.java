package org.distarch.remote.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.distarch.launch.RemoteTarget;
import org.junit.jupiter.api.Test;

class SshCommandTest {

    @Test
    void theRelayRunsThroughTheSameLauncherInTheInstancesDirectoryWithLoginAndKeyFromTheConfig() {
        SshCommand ssh = SshCommand.of(Path.of("/etc/test_ssh_config"), List.of("StrictHostKeyChecking=yes"),
                List.of("/usr/bin/java", "-cp", "/opt/app/lib/*", "com.example.App"));
        List<String> command = ssh.forTarget(new RemoteTarget("server-host-1", "deploy", "/keys/id_rsa", 0),
                Path.of("/srv/it's here"));
        assertThat(command).startsWith("ssh", "-T", "-o", "BatchMode=yes");
        assertThat(command).containsSubsequence("-F", "/etc/test_ssh_config", "-o", "StrictHostKeyChecking=yes",
                "-l", "deploy", "-i", "/keys/id_rsa", "server-host-1", "--");
        StringBuilder jvm = new StringBuilder();
        SshCommand.RELAY_JVM_OPTIONS.forEach(o -> jvm.append(" '").append(o).append('\''));
        assertThat(command.get(command.size() - 1)).isEqualTo("cd '/srv/it'\\''s here' && exec '/usr/bin/java'" + jvm
                + " '-cp' '/opt/app/lib/*' 'com.example.App' '__relay'");
    }

    /** The relay's small-JVM options go right after java, so that the launcher's own options still win. */
    @Test
    void theRelaysJvmOptionsComeFirstAndOnlyForAJava() {
        assertThat(SshCommand.relayJvm(List.of("/opt/jdk/bin/java", "-Xmx512m", "-jar", "app.jar")))
                .containsSubsequence("/opt/jdk/bin/java", "-XX:+UseSerialGC", "-Xmx128m", "-XX:-UsePerfData",
                        "-Xmx512m", "-jar", "app.jar");
        assertThat(SshCommand.relayJvm(List.of("/srv/app/bin/console"))).containsExactly("/srv/app/bin/console");
    }

    @Test
    void withoutLoginOrKeyOpenSshsOwnDefaultsApply() {
        List<String> command = SshCommand.of(null, List.of(), List.of("bin/console")).forTarget(
                new RemoteTarget("h", null, null, 0), null);
        assertThat(command).doesNotContain("-l", "-i", "-F");
        assertThat(command.get(command.size() - 1)).isEqualTo("exec 'bin/console' '__relay'");
    }

    @Test
    void failuresAreExplainedAndOnlyHostKeyProblemsAreFinal() {
        assertThat(SessionFailure.classify("h", "Host key verification failed.", 255).fatal()).isTrue();
        SessionFailure auth = SessionFailure.classify("h", "root@h: Permission denied (publickey).", 255);
        assertThat(auth.fatal()).isFalse();
        assertThat(auth.reason()).startsWith("authentication refused by h");
        assertThat(SessionFailure.classify("h", "ssh: connect to host h port 22: Connection timed out", 255).reason())
                .startsWith("h unreachable");
        assertThat(SessionFailure.classify("h", "sh: 1: exec: /usr/bin/java: not found", 127).reason())
                .startsWith("the relay cannot start on h");
        assertThat(SessionFailure.classify("h", "Can't open user config file x: No such file or directory", 255).reason())
                .startsWith("connection to h failed or was lost");
    }
}
