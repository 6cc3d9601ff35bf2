package org.distarch.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.distarch.worker.protocol.LogLevel;
import org.distarch.worker.protocol.WorkerLine;
import org.distarch.worker.protocol.WorkerLineCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The shell and Python workers shipped as resources speak the protocol as documented. */
@Timeout(60)
class ScriptWorkersProcessTest {

    private static final String PARAMS = "{\"Param1\":\"Value1\"}";

    @TempDir
    Path dir;

    private LaunchedWorker worker;

    @AfterEach
    void noProcessLeft() throws Exception {
        if (worker != null) {
            worker.close();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (ProcessHandle.current().descendants().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList()).isEmpty();
    }

    /** Copies the resource out (resources lose the executable bit in a jar) and makes it executable. */
    private Path extract(String script) throws Exception {
        if (script.endsWith(".py")) {
            assumeTrue(onPath("python3"), "python3 is not installed");
        }
        Path target = dir.resolve(script);
        try (InputStream in = getClass().getResourceAsStream("/workers/" + script)) {
            assertThat(in).as(script).isNotNull();
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
        return target;
    }

    private static boolean onPath(String program) {
        for (String entry : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!entry.isEmpty() && Files.isExecutable(Path.of(entry, program))) {
                return true;
            }
        }
        return false;
    }

    private LaunchedWorker start(String script, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(extract(script).toString()));
        command.addAll(List.of(args));
        worker = LaunchedWorker.start(command, LaunchedWorker.identity(3, PARAMS));
        return worker;
    }

    private static String kind(String script) {
        return script.startsWith("shell") ? "shell" : "python";
    }

    @ParameterizedTest
    @ValueSource(strings = {"shell-worker.sh", "python-worker.py"})
    void runsItsIterationsThenEndsCleanly(String script) throws Exception {
        start(script, "2");

        assertThat(worker.awaitExit(20)).isZero();
        List<String> lines = worker.stdout();
        assertThat(lines.get(0)).isEqualTo(kind(script) + " worker 3/1/2 of Test Group params=" + PARAMS);
        WorkerLine warn = WorkerLineCodec.parse(lines.get(1));
        assertThat(warn).isInstanceOf(WorkerLine.Log.class);
        assertThat(((WorkerLine.Log) warn).level()).isEqualTo(LogLevel.WARN);
        assertThat(lines.subList(2, lines.size())).containsExactly(
                "@@distarch ping", "iteration 1", "iteration 2", "stopping after 2 iterations", "@@distarch ended");
    }

    @ParameterizedTest
    @ValueSource(strings = {"shell-worker.sh", "python-worker.py"})
    void stopOnStdinEndsCleanly(String script) throws Exception {
        start(script);
        worker.awaitLine("iteration 1", 20);
        worker.send("stop");

        assertThat(worker.awaitExit(5)).isZero();
        assertThat(worker.stdout()).endsWith("@@distarch ended");
    }

    @ParameterizedTest
    @ValueSource(strings = {"shell-worker.sh", "python-worker.py"})
    void sigtermEndsCleanly(String script) throws Exception {
        start(script);
        worker.awaitLine("iteration 1", 20);
        worker.terminate();

        assertThat(worker.awaitExit(5)).isZero();
        assertThat(worker.stdout()).endsWith("@@distarch ended");
    }

    @ParameterizedTest
    @ValueSource(strings = {"shell-worker.sh", "python-worker.py"})
    void closedStdinEndsAtOnce(String script) throws Exception {
        start(script);
        worker.awaitLine("iteration 1", 20);
        worker.closeStdin();

        assertThat(worker.awaitExit(5)).isZero();
        assertThat(worker.stdout()).endsWith("@@distarch ended");
    }

    @ParameterizedTest
    @ValueSource(strings = {"shell-worker.sh", "python-worker.py"})
    void withoutAMasterItRefusesToRun(String script) throws Exception {
        worker = LaunchedWorker.start(List.of(extract(script).toString()), Map.of());

        assertThat(worker.awaitExit(20)).isEqualTo(2);
        assertThat(worker.stderr()).singleElement().asString().contains("it runs under a master");
    }
}
