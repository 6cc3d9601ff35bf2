package org.distarch.launch;

import org.distarch.testing.LauncherContract;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.distarch.testing.FakeLauncher;

/** The launcher contract against the scriptable fake that the supervision tests use: it must behave alike. */
class FakeLauncherContractTest extends LauncherContract {

    @Override
    protected Launcher launcher() {
        return FakeLauncher.scripted();
    }

    @Override
    protected LaunchSpec spec(Program program, String variable, String value) {
        List<String> words = new ArrayList<>(List.of("fake"));
        if (program.ignoresStop()) {
            words.add("deaf");
        }
        program.lines().forEach(l -> words.add("say:" + l));
        if (program.printsVariable() != null) {
            words.add("env:" + program.printsVariable());
        }
        if (program.exitCode() != null) {
            words.add("exit:" + program.exitCode());
        }
        return new LaunchSpec(words, null, variable == null ? Map.of() : Map.of(variable, value), null);
    }

    @Override
    protected LaunchSpec missingProgram() {
        return new LaunchSpec(List.of("missing"), null, Map.of(), null);
    }
}
