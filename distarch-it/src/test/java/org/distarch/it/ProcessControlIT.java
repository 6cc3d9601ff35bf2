package org.distarch.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * An operator's start, stop, restart, signal and rolling restart of real processes through the real command line,
 * autostart: false, a persisted suspension across a master restart, and restart_every.
 */
@ExtendWith(NoStrayProcesses.class)
class ProcessControlIT {

    private static final Duration LIMIT = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A shell worker that says when it got SIGUSR1, prints a tick every second (never silent) and, while a file
     * named {@code fail} exists in its directory, fails at once: a "new version" that does not work.
     */
    private static final String TICKER = String.join("\n",
            "if [ -e fail ]; then echo failing; exit 3; fi",
            "trap 'echo got USR1 as $DA_ID' USR1",
            "echo started as $DA_ID",
            "while true; do echo tick; sleep 1; done", "");

    @TempDir
    Path dir;

    private Cli cli(String... args) throws Exception {
        return Cli.run(dir, args);
    }

    /** The group runs {@link #TICKER} from {@code ticker.sh} in the master's directory ({@link #config} writes it). */
    private static String group(String name, int count, String... extra) {
        return "    " + name + ":\n      command: ticker.sh\n      bin_path: /bin/sh\n      stop_timeout: 5\n"
                + String.join("", List.of(extra).stream().map(e -> "      " + e + "\n").toList())
                + "      local: {instances_count: " + count + "}\n";
    }

    private String config(String... groups) throws java.io.IOException {
        Files.writeString(dir.resolve("ticker.sh"), TICKER);
        return "distributed_architecture:\n  groups:\n" + String.join("", groups);
    }

    private JsonNode status() throws Exception {
        Cli c = cli("status", "--json");
        assertThat(c.exit()).as(c.err()).isZero();
        return JSON.readTree(c.out());
    }

    private JsonNode awaitStatus(Predicate<JsonNode> ok, String what) throws Exception {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        JsonNode s = null;
        while (System.nanoTime() < deadline) {
            Cli c = cli("status", "--json");
            if (c.exit() == 0) {
                s = JSON.readTree(c.out());
                if (ok.test(s)) {
                    return s;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError(what + "; last status: " + (s == null ? "no master answered" : s.toPrettyString()));
    }

    private static List<JsonNode> processes(JsonNode s, String group) {
        List<JsonNode> list = new ArrayList<>();
        s.path("processes").forEach(p -> {
            if (p.path("group").asText().equals(group)) {
                list.add(p);
            }
        });
        return list;
    }

    private static JsonNode process(JsonNode s, int id) {
        for (JsonNode p : s.path("processes")) {
            if (p.path("id").asInt() == id) {
                return p;
            }
        }
        throw new AssertionError("no process " + id + " in " + s);
    }

    private static long runningCount(JsonNode s, String group) {
        return processes(s, group).stream().filter(p -> p.path("state").asText().equals("RUNNING")).count();
    }

    private static Predicate<JsonNode> running(String group, int count) {
        return s -> runningCount(s, group) == count;
    }

    private static JsonNode groupStatus(JsonNode s, String name) {
        for (JsonNode g : s.path("groups")) {
            if (g.path("name").asText().equals(name)) {
                return g;
            }
        }
        throw new AssertionError("no group " + name + " in " + s);
    }

    private static Set<Long> pids(JsonNode s, String group) {
        Set<Long> pids = new HashSet<>();
        processes(s, group).forEach(p -> pids.add(p.path("pid").asLong()));
        return pids;
    }

    @Test
    void aStoppedProcessStaysDownWhileTheOthersRestartNormallyUntilStarted() throws Exception {
        try (MasterRun run = MasterRun.start(dir, config(group("A", 3)))) {
            JsonNode s = awaitStatus(running("A", 3), "A running");

            Cli stop = cli("stop", "A/2");
            assertThat(stop.exit()).as(stop.err()).isZero();
            assertThat(stop.out()).contains("Stop of process A/2: 1 process asked to stop, held until start",
                    "- stop    [A] [localhost] [ticker.sh/2/2] (stopped by operator)");
            s = awaitStatus(st -> process(st, 2).path("state").asText().equals("STOPPED"), "A/2 stopped");
            assertThat(process(s, 2).path("held").asText()).isEqualTo("stopped by operator");
            assertThat(cli("status").out()).containsPattern("(?m)^2\\s+A\\s+localhost\\s+\\S+\\s+STOPPED \\(held: "
                    + "stopped by operator\\)");

            // Another process dies: its restart policy brings it back; the held one stays down, resume included.
            long first = process(s, 1).path("pid").asLong();
            new ProcessBuilder("kill", "-KILL", Long.toString(first)).start().waitFor();
            s = awaitStatus(st -> process(st, 1).path("state").asText().equals("RUNNING")
                    && process(st, 1).path("pid").asLong() != first, "process 1 restarted by its policy");
            assertThat(cli("resume", "A").exit()).isZero();
            s = status();
            assertThat(process(s, 2).path("state").asText()).isEqualTo("STOPPED");
            assertThat(run.process.isAlive()).isTrue();

            Cli start = cli("start", "2");
            assertThat(start.exit()).as(start.err()).isZero();
            assertThat(start.out()).contains("Start of process 2: 1 process started");
            s = awaitStatus(running("A", 3), "A/2 started again");
            assertThat(process(s, 2).path("held").isNull()).isTrue();

            Cli unknown = cli("stop", "B/1");
            assertThat(unknown.exit()).isEqualTo(1);
            assertThat(unknown.err()).contains("No group named \"B\"; groups: A");
            assertThat(cli("start", "9").err()).contains("No process with id 9; ids: 1-3");
            assertThat(cli("stop", "--force").exit()).as("--force needs processes").isEqualTo(2);

            assertThat(cli("stop").exit()).as("stop alone stops the master, as before").isZero();
            assertThat(run.awaitExit(LIMIT)).isZero();
            assertThat(run.lines()).anyMatch(l -> l.contains("[master] Stop of process A/2"))
                    .anyMatch(l -> l.contains("[master] Start of process 2: 1 process started"));
        }
    }

    @Test
    void signalReachesAShellWorkersTrapAndRestartReplacesOneProcess() throws Exception {
        try (MasterRun run = MasterRun.start(dir, config(group("A", 2)))) {
            JsonNode s = awaitStatus(running("A", 2), "A running");
            Cli signal = cli("signal", "USR1", "A");
            assertThat(signal.exit()).as(signal.err()).isZero();
            assertThat(signal.out()).contains("Sent SIGUSR1 to 2 processes of group \"A\"",
                    "! SIGUSR1 [A] [localhost] [ticker.sh/1/1] pid " + process(s, 1).path("pid").asLong());
            run.awaitLine(l -> l.contains("[A] [localhost] [ticker.sh/1/1] got USR1 as 1"), LIMIT);
            run.awaitLine(l -> l.contains("[A] [localhost] [ticker.sh/2/2] got USR1 as 2"), LIMIT);
            assertThat(cli("signal", "BOGUS", "A").err()).contains("unknown signal \"BOGUS\"");

            long before = process(s, 2).path("pid").asLong();
            Cli restart = cli("restart", "A/2");
            assertThat(restart.exit()).as(restart.err()).isZero();
            assertThat(restart.out()).contains("Restart of process A/2: 1 process restarted");
            s = awaitStatus(st -> running("A", 2).test(st) && process(st, 2).path("pid").asLong() != before,
                    "A/2 restarted");
            assertThat(process(s, 1).path("restarts").asInt()).isZero();
            assertThat(process(s, 2).path("restarts").asInt()).isEqualTo(1);
            assertThat(cli("restart").exit()).as("restart names its processes").isEqualTo(2);
            assertThat(cli("stop").exit()).isZero();
            assertThat(run.awaitExit(LIMIT)).isZero();
        }
    }

    @Test
    void aRollingRestartKeepsTwoOfThreeRunningAtEveryMomentAndReplacesEveryProcess() throws Exception {
        try (MasterRun run = MasterRun.start(dir, config(group("A", 3)))) {
            JsonNode s = awaitStatus(running("A", 3), "A running");
            Set<Long> before = pids(s, "A");
            Cli rolling = cli("restart", "--rolling", "A", "--healthy-for", "3s");
            assertThat(rolling.exit()).as(rolling.err()).isZero();
            assertThat(rolling.out()).contains("Rolling restart of group \"A\" began: 3 processes, 1 at a time, "
                    + "each next batch once the new ones ran healthy for 3s");
            long deadline = System.nanoTime() + LIMIT.toNanos();
            int observed = 0;
            boolean sawProgress = false;
            while (true) {
                assertThat(System.nanoTime()).as("rolling restart done in time").isLessThan(deadline);
                s = status();
                observed++;
                assertThat(runningCount(s, "A")).as("running during the rollout: %s", s).isGreaterThanOrEqualTo(2);
                JsonNode rollout = groupStatus(s, "A").path("rollout");
                sawProgress |= rollout.path("state").asText().equals("RUNNING");
                if (rollout.path("state").asText().equals("DONE")) {
                    break;
                }
            }
            assertThat(observed).isGreaterThan(3);
            assertThat(sawProgress).isTrue();
            s = awaitStatus(running("A", 3), "A running after the rollout");
            assertThat(pids(s, "A")).hasSize(3).doesNotContainAnyElementsOf(before);
            assertThat(cli("status").out()).contains("group A: rolling restart (operator) done");
            assertThat(cli("stop").exit()).isZero();
            assertThat(run.awaitExit(LIMIT)).isZero();
            assertThat(run.lines()).anyMatch(l -> l.contains("Rolling restart of group \"A\" (operator) done: 3 of 3 "
                    + "replaced"));
        }
    }

    @Test
    void aNewVersionThatFailsHaltsTheRolloutAndTheOthersKeepTheirProcesses() throws Exception {
        try (MasterRun run = MasterRun.start(dir, config(group("A", 3)))) {
            JsonNode s = awaitStatus(running("A", 3), "A running");
            long second = process(s, 2).path("pid").asLong();
            long third = process(s, 3).path("pid").asLong();
            Files.writeString(dir.resolve("fail"), "");
            Cli rolling = cli("restart", "--rolling", "A", "--healthy-for", "5s", "--wait");
            assertThat(rolling.exit()).as(rolling.out() + rolling.err()).isEqualTo(1);
            assertThat(rolling.err()).contains("halted: the new version of [A] [localhost] [ticker.sh/1/1] exited with "
                    + "exit code 3", "the others keep their old version");
            s = status();
            assertThat(process(s, 2).path("pid").asLong()).isEqualTo(second);
            assertThat(process(s, 3).path("pid").asLong()).isEqualTo(third);
            assertThat(groupStatus(s, "A").path("rollout").path("state").asText()).isEqualTo("HALTED");
            Files.delete(dir.resolve("fail"));
            assertThat(cli("stop").exit()).isZero();
            assertThat(run.awaitExit(LIMIT)).isZero();
        }
    }

    @Test
    void anAutostartFalseGroupIsShownStoppedAndStartedOnlyByStart() throws Exception {
        try (MasterRun run = MasterRun.start(dir, config(group("A", 1), group("B", 2, "autostart: false")))) {
            JsonNode s = awaitStatus(running("A", 1), "A running");
            assertThat(processes(s, "B")).hasSize(2).allSatisfy(p -> {
                assertThat(p.path("state").asText()).isEqualTo("STOPPED");
                assertThat(p.path("held").asText()).isEqualTo("autostart: false");
            });
            assertThat(cli("status").out()).contains("group B: autostart: false");
            Cli start = cli("start", "B");
            assertThat(start.out()).contains("Start of group \"B\": 2 processes started");
            awaitStatus(running("B", 2), "B started");
            assertThat(cli("stop").exit()).isZero();
            assertThat(run.awaitExit(LIMIT)).isZero();
        }
    }

    @Test
    void aPersistedSuspensionSurvivesARestartOfTheMasterUntilResume() throws Exception {
        String yaml = config(group("A", 1), group("B", 1));
        Path state = dir.resolve("var/log/distributed_architecture.state");
        try (MasterRun run = MasterRun.start(dir, yaml)) {
            awaitStatus(running("A", 1).and(running("B", 1)), "running");
            Cli suspend = cli("suspend", "B", "--persist");
            assertThat(suspend.exit()).as(suspend.err()).isZero();
            assertThat(suspend.out()).contains("(persisted: kept suspended when the master starts again, until resume)");
            assertThat(Files.getPosixFilePermissions(state)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(cli("stop", "A/1", "--persist").exit()).isZero();
            awaitStatus(running("A", 0).and(running("B", 0)), "both down");
            assertThat(cli("stop").exit()).isZero();
            assertThat(run.awaitExit(LIMIT)).isZero();
        }
        try (MasterRun run = MasterRun.start(dir, yaml)) {
            run.awaitLine(l -> l.contains("[master] Keeping group \"B\" suspended, as an operator asked (persisted in "
                    + state + "); resume B starts it"), LIMIT);
            run.awaitLine(l -> l.contains("[master] Keeping [A] [localhost] [ticker.sh/1/1] stopped, as an operator "
                    + "asked"), LIMIT);
            JsonNode s = awaitStatus(st -> processes(st, "B").get(0).path("state").asText().equals("STOPPED")
                    && processes(st, "A").get(0).path("state").asText().equals("STOPPED"), "both kept down");
            assertThat(groupStatus(s, "B").path("persisted").asBoolean()).isTrue();
            assertThat(processes(s, "A").get(0).path("held").asText()).isEqualTo("stopped by operator, persisted");
            assertThat(cli("status").out()).contains("group B: suspended (persisted across master restarts)");
            assertThat(cli("resume", "B").exit()).isZero();
            assertThat(cli("start", "A/1").exit()).isZero();
            awaitStatus(running("A", 1).and(running("B", 1)), "both started");
            assertThat(state).doesNotExist();
            assertThat(cli("stop").exit()).isZero();
            assertThat(run.awaitExit(LIMIT)).isZero();
        }
    }

    @Test
    void restartEveryRollsTheGroupOnItsSchedule() throws Exception {
        String yaml = config(group("A", 2, "restart_every: 3s", "rolling_healthy_time: 1s"));
        try (MasterRun run = MasterRun.start(dir, yaml)) {
            JsonNode s = awaitStatus(running("A", 2), "A running");
            assertThat(groupStatus(s, "A").path("schedule").asText()).isEqualTo("every 3s");
            assertThat(groupStatus(s, "A").path("nextRestartMillis").asLong()).isPositive();
            Set<Long> before = pids(s, "A");
            s = awaitStatus(st -> running("A", 2).test(st) && pids(st, "A").stream().noneMatch(before::contains),
                    "every process of A replaced by the schedule");
            run.awaitLine(l -> l.contains("[master] Rolling restart of group \"A\" (restart_every) done: 2 of 2 "
                    + "replaced"), LIMIT);
            assertThat(cli("status").out()).contains("group A: restart every 3s, next at");
            assertThat(cli("stop").exit()).isZero();
            assertThat(run.awaitExit(LIMIT)).isZero();
        }
    }
}
