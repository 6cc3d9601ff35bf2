package org.distarch.remote.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.distarch.launch.LaunchSpec;
import org.distarch.remote.protocol.RelayCodec;
import org.distarch.remote.protocol.RelayFrame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RelayClassPathTest {

    private static final List<Path> SOURCES = List.of(Path.of("/opt/app/lib/distarch-remote.jar"),
            Path.of("/opt/app/lib/distarch-core.jar"), Path.of("/opt/app/classes"));

    @Test
    void aPlainClassPathRelayStartsFromItsOwnJarsAndMainOnly() {
        List<String> launcher = List.of("/usr/bin/java", "-Xmx1g", "-cp",
                "/opt/app/lib/app.jar:/opt/app/lib/distarch-remote.jar:/opt/app/lib/big.jar:/opt/app/lib/distarch-core.jar"
                        + ":/opt/app/classes/", "com.example.App");
        assertThat(SshCommand.relayProgram(launcher, Optional.of(SOURCES))).containsExactly("/usr/bin/java", "-Xmx1g",
                "-cp", "/opt/app/lib/distarch-remote.jar:/opt/app/lib/distarch-core.jar:/opt/app/classes",
                SshCommand.RELAY_MAIN);
    }

    /** Anything the relay cannot be sure to find on the host as it is found here keeps the application's main. */
    @Test
    void otherLaunchersStayAsTheyAre() {
        List<List<String>> others = List.of(List.of("/usr/bin/java", "-jar", "/opt/app/app.jar"),
                List.of("/usr/bin/java", "-cp", "/opt/app/lib/*", "com.example.App"),
                List.of("/usr/bin/java", "-cp", "/opt/app/lib/distarch-remote.jar", "com.example.App"),
                List.of("/srv/app/bin/console"));
        for (List<String> launcher : others) {
            assertThat(SshCommand.relayProgram(launcher, Optional.of(SOURCES))).as("%s", launcher).isEqualTo(launcher);
        }
        List<String> plain = List.of("java", "-cp", "/a.jar", "App");
        assertThat(SshCommand.relayProgram(plain, Optional.empty())).isEqualTo(plain);
    }

    /**
     * The relay's own class path is enough for a real relay: it takes a hello, starts a process, relays its line
     * and exit, and finishes when closed (a class missing from the list would end it with NoClassDefFoundError).
     */
    @Test
    void aRelayRunsOnItsOwnClassPath(@TempDir Path runtime) throws Exception {
        List<Path> sources = RelayClassPath.sources().orElseThrow();
        String classPath = String.join(File.pathSeparator, sources.stream().map(Path::toString).toList());
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath, SshCommand.RELAY_MAIN, SshCommand.RELAY_COMMAND)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("XDG_RUNTIME_DIR", runtime.toString());
        Process relay = pb.start();
        List<RelayFrame> frames = new ArrayList<>();
        try (Writer master = new OutputStreamWriter(relay.getOutputStream(), StandardCharsets.UTF_8);
                BufferedReader in = new BufferedReader(new InputStreamReader(relay.getInputStream(),
                        StandardCharsets.UTF_8))) {
            send(master, new RelayFrame.Hello(RelayFrame.VERSION, "here", "G", "G|here|test", 60_000));
            send(master, new RelayFrame.Launch(1, new LaunchSpec(List.of("sh", "-c", "echo hello"), null, Map.of(),
                    null), 1000));
            String line;
            while ((line = in.readLine()) != null) {
                RelayFrame frame = RelayCodec.decode(line);
                frames.add(frame);
                if (frame instanceof RelayFrame.Exited) {
                    send(master, new RelayFrame.Close("test over"));
                }
            }
        } finally {
            if (!relay.waitFor(30, TimeUnit.SECONDS)) {
                relay.destroyForcibly();
            }
        }
        assertThat(relay.exitValue()).isZero();
        assertThat(frames).anyMatch(f -> f instanceof RelayFrame.Ready).anyMatch(f -> f instanceof RelayFrame.Started)
                .contains(new RelayFrame.Line(1, "hello"), new RelayFrame.Exited(1, 0, 0)).last()
                .isEqualTo(new RelayFrame.Done(0));
    }

    private static void send(Writer master, RelayFrame frame) throws java.io.IOException {
        master.write(RelayCodec.encode(frame) + "\n");
        master.flush();
    }
}
