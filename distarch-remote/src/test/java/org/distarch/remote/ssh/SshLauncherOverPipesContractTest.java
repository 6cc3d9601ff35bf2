package org.distarch.remote.ssh;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.distarch.launch.LaunchSpec;
import org.distarch.launch.Launcher;
import org.distarch.testing.LauncherContract;
import org.distarch.launch.RemoteTarget;
import org.distarch.supervise.ThreadScheduler;

/** The launcher contract against the SSH launcher, with a real relay on pipes where ssh would be. */
@org.junit.jupiter.api.extension.ExtendWith(org.distarch.testing.NoStrayThreads.class)
class SshLauncherOverPipesContractTest extends LauncherContract {

    @Override
    protected Launcher launcher() {
        ThreadScheduler scheduler = new ThreadScheduler(Clock.systemUTC(), Throwable::printStackTrace);
        SshLaunchers launchers = new SshLaunchers(new PipeTransport(), scheduler, record -> { }, event -> { });
        Launcher session = launchers.forTarget("g", new RemoteTarget("h1", null, null, 0), Duration.ofSeconds(2));
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
