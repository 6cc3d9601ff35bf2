package org.distarch.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The history survives a master restart: a first master runs real workers (one ends, one crashes until it is
 * given up) and exits; a second one starts; {@code distarch history --previous} then shows the first run's
 * processes with their exits, and {@code --runs} both runs. Nothing to set up: the default SQLite file beside
 * the pid file.
 */
@ExtendWith(NoStrayProcesses.class)
class HistoryIT {

    private static final Duration LIMIT = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static final String FIRST = "distributed_architecture:\n  groups:\n"
            + "    Ender:\n      command: test:scripted\n      params: {script: [\"print 2\", \"exit 0\"]}\n"
            + "      local: {instances_count: 2}\n"
            + "    Crasher:\n      command: test:scripted\n      params: {script: [\"exit 3\"]}\n"
            + "      restart: {initial_backoff: 0.1, max_backoff: 0.2, max_failures: 2}\n"
            + "      local: {instances_count: 1}\n";

    private static final String SECOND = "distributed_architecture:\n  groups:\n"
            + "    Worker:\n      command: test:scripted\n      params: {script: [\"work 600\"]}\n"
            + "      local: {instances_count: 1}\n";

    @Test
    void aRestartedMasterKeepsThePreviousRunsProcessesAndExits() throws Exception {
        try (MasterRun first = MasterRun.start(dir, FIRST)) {
            assertThat(first.awaitExit(LIMIT)).as("a process was given up").isEqualTo(1);
        }
        assertThat(Files.isRegularFile(dir.resolve("var/log/history.db"))).isTrue();

        try (MasterRun second = MasterRun.start(dir, SECOND)) {
            second.awaitLine(l -> l.contains("[Worker]") && l.contains("Started"), LIMIT);

            Cli previous = Cli.run(dir, "history", "--previous");
            assertThat(previous.exit()).as(previous.err()).isZero();
            assertThat(previous.out()).containsPattern("(?m)^run 1: started .* stopped .*, exit 1")
                    .containsPattern("(?m)^1\\s+Ender\\s+localhost\\s+test:scripted/1/1\\s+ENDED\\s")
                    .containsPattern("(?m)^3\\s+Crasher\\s+localhost\\s+test:scripted/3/1\\s+FAILED\\s.*\\s2\\s+2\\s+"
                            + "exited with exit code 3")
                    .contains("RUNNING -> BACKOFF", ": exited with exit code 3 (failure 1 of 2); restarts before: 0",
                            "FAILED: exited with exit code 3: failed 2 times");
            assertThat(previous.out()).doesNotContain("[Worker]");

            JsonNode json = JSON.readTree(Cli.run(dir, "history", "--previous", "--json", "--limit", "1000").out());
            assertThat(json.path("run").path("id").asLong()).isEqualTo(1);
            List<String> states = new ArrayList<>();
            json.path("processes").forEach(p -> states.add(p.path("group").asText() + " " + p.path("state").asText()
                    + " " + p.path("exits").asInt()));
            assertThat(states).containsExactly("Ender ENDED 1", "Ender ENDED 1", "Crasher FAILED 2");
            List<String> crasherExits = new ArrayList<>();
            json.path("entries").forEach(e -> {
                if (e.path("kind").asText().equals("exit") && e.path("group").asText().equals("Crasher")) {
                    crasherExits.add(e.path("code").asInt() + " " + e.path("outcome").asText() + " "
                            + e.path("restarts").asInt());
                }
            });
            assertThat(crasherExits).containsExactly("3 FAILED 1", "3 RESTARTING 0");

            Cli onlyCrasher = Cli.run(dir, "history", "--previous", "3", "--kind", "exit");
            assertThat(onlyCrasher.out()).doesNotContain("[Ender]").contains("[Crasher]");

            Cli runs = Cli.run(dir, "history", "--runs");
            assertThat(runs.out()).containsPattern("(?m)^2\\s").containsPattern("(?m)^1\\s.*\\s1\\s");

            // The history writes in batches on its own thread: the Worker's start may trail its log line.
            awaitCondition(() -> {
                try {
                    return Cli.run(dir, "history").out().contains("[Worker]");
                } catch (Exception e) {
                    return false;
                }
            }, "run 2's Worker in the history");
            Cli latest = Cli.run(dir, "history");
            assertThat(latest.out()).contains("run 2:", "no end recorded", "[Worker]");

            Cli stop = Cli.run(dir, "stop");
            assertThat(stop.exit()).as(stop.err()).isZero();
            assertThat(second.awaitExit(LIMIT)).isZero();
        }
        Cli ended = Cli.run(dir, "history", "--run", "2");
        assertThat(ended.out()).containsPattern("(?m)^run 2: .* stopped .*, exit 0");
    }

    @Test
    void historyWithoutAnyRunSaysSo() throws Exception {
        Cli none = Cli.run(dir, "history");
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).contains("No history at " + dir.resolve("var/log/history.db").toAbsolutePath());

        Cli bad = Cli.run(dir, "history", "--since", "yesterday", "--pid", "x.pid");
        assertThat(bad.exit()).isEqualTo(2);
    }

    private static void awaitCondition(java.util.function.BooleanSupplier condition, String what) throws Exception {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(condition.getAsBoolean()).as(what + " within " + LIMIT).isTrue();
    }

    private static boolean holdsTheLibrary(Path dir) {
        try (var files = Files.list(dir)) {
            return files.anyMatch(f -> f.getFileName().toString().contains("sqlitejdbc"));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Test
    void theHistoryIsPrivateAndAKilledMastersSqliteLibraryIsRemovedByTheNext() throws Exception {
        Path runtime = Files.createDirectories(dir.resolve("run"));
        String env = "XDG_RUNTIME_DIR=" + runtime;
        Path config = dir.resolve("distarch.yaml");
        Files.writeString(config, SECOND);
        List<String> args = List.of("run-master", "--config", config.toString());
        Path natives = runtime.resolve("distarch-sqlite");
        long killed;
        try (MasterRun first = MasterRun.startRaw(dir, args, env)) {
            first.awaitLine(l -> l.contains("[Worker]") && l.contains("Started"), LIMIT);
            killed = first.process.pid();
            Path mine = natives.resolve(Long.toString(killed));
            awaitCondition(() -> holdsTheLibrary(mine), "sqlite's library in the master's own directory");
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(mine)))
                    .isEqualTo("rwx------");
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(
                    dir.resolve("var/log/history.db")))).as("the history is the master's user's only")
                    .isEqualTo("rw-------");
            first.process.destroyForcibly(); // SIGKILL: no exit hook runs, the library stays behind
            first.awaitExit(LIMIT);
            assertThat(holdsTheLibrary(mine)).isTrue();
        }
        try (MasterRun second = MasterRun.startRaw(dir, args, env)) {
            second.awaitLine(l -> l.contains("[Worker]") && l.contains("Started"), LIMIT);
            Path mine = natives.resolve(Long.toString(second.process.pid()));
            awaitCondition(() -> holdsTheLibrary(mine), "the second master's library");
            assertThat(natives.resolve(Long.toString(killed))).as("the killed master's, removed").doesNotExist();
            second.process.toHandle().destroy();
            assertThat(second.awaitExit(LIMIT)).isZero();
            assertThat(mine).as("a master that exits removes its own").doesNotExist();
        }
    }
}
