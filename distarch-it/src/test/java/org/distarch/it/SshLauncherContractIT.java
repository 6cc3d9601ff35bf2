package org.distarch.it;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.distarch.it.hosts.TestHosts;
import org.distarch.launch.LaunchSpec;
import org.distarch.launch.Launcher;
import org.distarch.launch.RemoteTarget;
import org.distarch.master.RemoteLaunchers;
import org.distarch.master.SelfCommand;
import org.distarch.remote.ssh.SshCommand;
import org.distarch.remote.ssh.SshLaunchers;
import org.distarch.supervise.ThreadScheduler;
import org.distarch.testing.LauncherContract;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The launcher contract against the SSH launcher and a real OpenSSH server on a test host: the relay runs
 * there, through the same launcher as this JVM, and starts real processes on that host.
 */
@ExtendWith(NoStrayProcesses.class)
class SshLauncherContractIT extends LauncherContract {

    @RegisterExtension
    static final TestHosts HOSTS = TestHosts.of(1);

    @Override
    protected Launcher launcher() {
        ThreadScheduler scheduler = new ThreadScheduler(Clock.systemUTC(), Throwable::printStackTrace);
        SshCommand ssh = SshCommand.of(HOSTS.sshConfig(), List.of(), SelfCommand.ofJava(TestApp.class.getName()).words());
        RemoteLaunchers launchers = SshLaunchers.factory(ssh).open(scheduler, record -> { }, event -> { });
        Launcher session = launchers.forTarget("contract", new RemoteTarget(HOSTS.names().get(0), null, null, 0),
                Duration.ofSeconds(2));
        return closingWith(session, () -> {
            launchers.close();
            scheduler.close();
        });
    }

    @Override
    protected LaunchSpec spec(Program program, String variable, String value) {
        return new LaunchSpec(shellCommand(program), null, variable == null ? Map.of() : Map.of(variable, value), null);
    }

    @Override
    protected LaunchSpec missingProgram() {
        return new LaunchSpec(List.of("/no/such/program"), null, Map.of(), null);
    }
}
