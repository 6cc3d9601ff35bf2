package org.distarch.launch;

import org.distarch.testing.LauncherContract;

import java.util.List;
import java.util.Map;
import org.distarch.launch.local.LocalLauncher;

/** The launcher contract against real local child processes. */
@org.junit.jupiter.api.extension.ExtendWith(org.distarch.testing.NoStrayThreads.class)
class LocalLauncherContractTest extends LauncherContract {

    @Override
    protected Launcher launcher() {
        return new LocalLauncher(64 * 1024);
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
