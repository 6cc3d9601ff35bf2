package org.distarch.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.distarch.worker.protocol.LogLevel;
import org.junit.jupiter.api.Test;

class ScriptTest {

    @Test
    void parsesEveryStep() {
        assertThat(Script.parse(List.of("print 10", "say hello  world ", "log Warning x y", "sleep 1.5", "work 2",
                "silent 0.25", "exit 7", "crash", "hang", "ignore-term", "fork-child 30", "garbage",
                "huge-line 100", "pid-file /tmp/{id}.pid", "SAY upper verb")))
                .containsExactly(
                        new Script.Print(10), new Script.Say("hello  world"), new Script.Log(LogLevel.WARN, "x y"),
                        new Script.Sleep(Duration.ofMillis(1500)), new Script.Work(Duration.ofSeconds(2)),
                        new Script.Silent(Duration.ofMillis(250)), new Script.Exit(7), new Script.Crash(),
                        new Script.Hang(), new Script.IgnoreTerm(), new Script.ForkChild("30"), new Script.Garbage(),
                        new Script.HugeLine(100), new Script.PidFile("/tmp/{id}.pid"), new Script.Say("upper verb"));
    }

    @Test
    void badStepsAreNamedWithTheirPosition() {
        assertThatThrownBy(() -> Script.parse(List.of("say ok", "print many")))
                .hasMessage("step 2 'print many': expected a count, got 'many'");
        assertThatThrownBy(() -> Script.parse(List.of("log loud x")))
                .hasMessageStartingWith("step 1 'log loud x': expected a level");
        assertThatThrownBy(() -> Script.parse(List.of("exit 300"))).hasMessageContaining("exit code 0..255");
        assertThatThrownBy(() -> Script.parse(List.of("sleep -1"))).hasMessageContaining("expected seconds");
        assertThatThrownBy(() -> Script.parse(List.of("crash now"))).hasMessageContaining("takes no argument");
        assertThatThrownBy(() -> Script.parse(List.of("pid-file"))).hasMessageContaining("expected a path");
        assertThatThrownBy(() -> Script.parse(List.of(""))).hasMessageContaining("unknown step");
        assertThatThrownBy(() -> Script.parse(null)).hasMessageContaining("params.script is missing");
    }
}
