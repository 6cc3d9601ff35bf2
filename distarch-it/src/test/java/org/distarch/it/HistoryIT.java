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
}
