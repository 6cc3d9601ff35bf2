package org.distarch.launch.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeSpawnTest {

    @Test
    void aStringListBecomesOneNullEndedPointerArrayIntoUtf8Strings() {
        List<String> values = List.of("A=1", "", "Grüße=ünï", "x".repeat(10_000));
        try (Memory block = NativeSpawn.strings(values)) {
            List<String> read = new ArrayList<>();
            for (int i = 0; ; i++) {
                Pointer p = block.getPointer((long) i * Native.POINTER_SIZE);
                if (p == null) {
                    break;
                }
                read.add(p.getString(0, "UTF-8"));
            }
            assertThat(read).isEqualTo(values);
        }
    }

    @Test
    void theChildGetsTheArgumentsAndTheEnvironmentAsGiven(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", "/usr/bin:/bin");
        env.put("GREETING", "grüße");
        env.put("EMPTY", "");
        NativeSpawn.Spawned child = NativeSpawn.spawn(List.of("/bin/sh", "-c",
                "printf '%s|%s|%s|%s' \"$0\" \"$1\" \"$GREETING\" \"${EMPTY-unset}\" >\"$OUT\"", "zéro", "one two"),
                withOut(env, out), dir, true);
        try {
            int[] status = new int[1];
            assertThat(Libc.waitpid(child.pid(), status, 0)).isEqualTo(child.pid()); // blocks until it exits
            assertThat(status[0]).isZero();
            assertThat(Files.readString(out, StandardCharsets.UTF_8)).isEqualTo("zéro|one two|grüße|");
        } finally {
            Libc.close(child.stdin());
            Libc.close(child.stdout());
            Libc.close(child.stderr());
        }
    }

    @Test
    void aProgramThatCannotRunIsRefusedWithItsReasonAndLeavesNoDescriptorOpen() throws Exception {
        List<String> missing = List.of("/nonexistent/program");
        assertThatThrownBy(() -> NativeSpawn.spawn(missing, Map.of(), null, true))
                .isInstanceOf(java.io.IOException.class).hasMessageContaining("No such file");
        long before = openDescriptors(); // after a first attempt: the JVM opens files of its own for the first one
        for (int i = 0; i < 20; i++) { // six pipe ends each: a leak would show
            assertThatThrownBy(() -> NativeSpawn.spawn(missing, Map.of(), null, true))
                    .isInstanceOf(java.io.IOException.class);
        }
        assertThat(openDescriptors()).isEqualTo(before);
    }

    private static long openDescriptors() throws java.io.IOException {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    private static Map<String, String> withOut(Map<String, String> env, Path out) {
        env.put("OUT", out.toString());
        return env;
    }
}
