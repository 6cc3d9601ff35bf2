package org.distarch.master;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.distarch.config.ConfigLoader;
import org.distarch.config.DistarchConfig;
import org.distarch.control.ControlResult;
import org.distarch.control.GroupStatus;
import org.distarch.control.ProcessStatus;
import org.distarch.control.RollingOptions;
import org.distarch.control.Target;
import org.distarch.event.DistarchEvent;
import org.distarch.event.MasterEvent;
import org.distarch.event.ProcessEvent;
import org.distarch.instance.InstanceState;
import org.distarch.output.LogSink;
import org.distarch.supervise.InstanceSupervisor;
import org.distarch.testing.FakeLauncher;
import org.distarch.testing.FakeLauncher.FakeWorker;
import org.distarch.testing.ManualScheduler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An operator's start, stop, restart, signal and rolling restart, autostart: false, scheduled restarts and the
 * persisted state, on the fake launcher and virtual time: what each does to which process, and that a held
 * process stays down whatever else happens.
 */
class ProcessControlTest {

    private static final String YAML = """
            distributed_architecture:
              groups:
                A:
                  command: a
                  bin_path: /bin/a
                  stop_timeout: 2
                  local: {instances_count: 3}
                B:
                  command: b
                  bin_path: /bin/b
                  stop_timeout: 2
                  local: {instances_count: 1}
            """;

    private final ManualScheduler scheduler = new ManualScheduler();
    private final FakeLauncher launcher = new FakeLauncher();
    private final List<DistarchEvent> events = new ArrayList<>();
    private final List<String> log = new ArrayList<>();
    private final FleetPlanner planner = new FleetPlanner(new SelfCommand(List.of("java", "App")));
    private FleetRunner runner;
    private FleetControl control;
    private ProcessControl processes;

    @TempDir
    Path dir;

    private void start(String yaml, OperatorState persisted, MasterOptions options) {
        DistarchConfig config = ConfigLoader.parse(yaml, "t.yaml", n -> null);
        LogSink sink = r -> log.add((r.source() == null ? "[master]" : r.source().prefix()) + " " + r.message());
        runner = new FleetRunner(options, scheduler, sink, e -> {
            if (!(e instanceof ProcessEvent.Running) && !(e instanceof MasterEvent.Running)) {
                events.add(e);
            }
        }, launcher, null, new Random(1), "localhost");
        control = new FleetControl(runner, planner, config, options.service(), () -> 0, persisted);
        processes = control.processes();
        runner.prepare(FleetControl.lifecycles(config), persisted.suspendedGroups(),
                id -> persisted.isStopped(id) ? Reconciler.STOPPED_PERSISTED : null);
        runner.startUp(planner.plan(config, Map.of()), false);
        scheduler.runReady();
    }

    private void start(String yaml) {
        start(yaml, OperatorState.none(), MasterOptions.DEFAULTS);
    }

    private InstanceSupervisor member(int id) {
        return runner.fleet().byId(id).orElseThrow();
    }

    private FakeWorker workerOf(int id) {
        long pid = member(id).pid();
        return launcher.started.stream().filter(w -> w.pid() == pid).findFirst().orElseThrow();
    }

    private long running(String group) {
        return runner.fleet().group(group).stream().filter(s -> s.state() == InstanceState.RUNNING).count();
    }

    private ProcessStatus status(int id) {
        return control.snapshot().status().processes().stream().filter(p -> p.id() == id).findFirst().orElseThrow();
    }

    private GroupStatus group(String name) {
        return control.snapshot().status().groups().stream().filter(g -> g.name().equals(name)).findFirst().orElseThrow();
    }

    private static DistarchConfig parse(String yaml) {
        return ConfigLoader.parse(yaml, "t.yaml", n -> null);
    }

    @Test
    void aStoppedProcessStaysDownUntilStartWhileTheOthersRestartNormally() {
        start(YAML);
        ControlResult stop = processes.stop(Target.process("A", 2), false, false);
        assertThat(stop.ok()).isTrue();
        assertThat(stop.message()).isEqualTo("Stop of process A/2: 1 process asked to stop, held until start");
        assertThat(stop.details()).containsExactly("- stop    [A] [localhost] [a/2/2] (stopped by operator)");
        scheduler.runReady();
        assertThat(member(2).state()).isEqualTo(InstanceState.STOPPED);
        assertThat(status(2).held()).isEqualTo("stopped by operator");
        assertThat(status(2).state()).isEqualTo("STOPPED");

        // Another process crashes and is restarted by its policy; the held one is not.
        workerOf(1).exit(3);
        scheduler.runReady();
        scheduler.advance(Duration.ofSeconds(5));
        assertThat(member(1).state()).isEqualTo(InstanceState.RUNNING);
        assertThat(member(2).state()).isEqualTo(InstanceState.STOPPED);

        // Neither resume, nor a reload that changes the group, nor a restart of the group starts it.
        control.resume("A");
        scheduler.runReady();
        assertThat(member(2).state()).isEqualTo(InstanceState.STOPPED);
        assertThat(processes.restart(Target.group("A")).details())
                .contains("[A] [localhost] [a/2/2] left alone: held (stopped by operator); start it instead");
        scheduler.runReady();
        control.reload(parse(YAML.replace("command: a", "command: a2")), false);
        scheduler.runReady();
        assertThat(member(2).state()).isEqualTo(InstanceState.STOPPED);
        assertThat(member(2).plan().launch().command()).containsExactly("/bin/a", "a2");
        assertThat(member(2).held()).isEqualTo("stopped by operator");
        assertThat(running("A")).isEqualTo(2);
        assertThat(runner.state()).isEqualTo(FleetState.RUNNING);

        ControlResult start = processes.start(Target.process(2));
        assertThat(start.message()).isEqualTo("Start of process 2: 1 process started");
        scheduler.runReady();
        assertThat(member(2).state()).isEqualTo(InstanceState.RUNNING);
        assertThat(member(2).held()).isNull();
        assertThat(log).contains("[master] Stop of process A/2: 1 process asked to stop, held until start",
                "[master]   - stop    [A] [localhost] [a/2/2] (stopped by operator)",
                "[master] Start of process 2: 1 process started");
    }

    @Test
    void aForegroundMasterWaitsWhileAnOperatorHoldsProcessesEvenWhenAllOthersEnded() {
        start(YAML);
        processes.stop(Target.group("A"), true, false);
        scheduler.runReady();
        workerOf(4).exit(0);
        scheduler.runReady();
        assertThat(runner.fleet().allTerminal()).isTrue();
        assertThat(runner.state()).isEqualTo(FleetState.RUNNING);
        assertThat(launcher.started.get(0).killed).isEqualTo(1);
        processes.start(Target.all());
        scheduler.runReady();
        assertThat(running("A")).isEqualTo(3);
    }

    @Test
    void unknownTargetsAreRefusedNamingWhatExists() {
        start(YAML);
        assertThat(processes.stop(Target.process(9), false, false).message())
                .isEqualTo("No process with id 9; ids: 1-4");
        assertThat(processes.start(Target.group("Nope")).message())
                .isEqualTo("No group named \"Nope\"; groups: A, B");
        assertThat(processes.signal(Target.host("h9"), "USR1").message())
                .isEqualTo("No host named \"h9\"; hosts: localhost");
        assertThat(processes.restart(Target.process("A", 7)).message())
                .isEqualTo("No process A/7; group ids of \"A\": 1-3");
        assertThat(processes.signal(Target.all(), "BOGUS").message())
                .startsWith("Signal refused: unknown signal \"BOGUS\"; signals: TERM, INT, QUIT, HUP, USR1");
        assertThat(processes.rollingRestart("Nope", RollingOptions.GROUP_SETTINGS).message())
                .isEqualTo("Rolling restart of group \"Nope\" refused: no group named \"Nope\"; groups: A, B");
        scheduler.runReady();
        assertThat(running("A") + running("B")).isEqualTo(4);
    }

    @Test
    void aSignalReachesEveryRunningProcessOfTheTargetAndSaysSo() {
        start(YAML);
        processes.stop(Target.process(3), true, false);
        scheduler.runReady();
        ControlResult r = processes.signal(Target.group("A"), "sigusr1");
        assertThat(r.ok()).isTrue();
        assertThat(r.message()).isEqualTo("Sent SIGUSR1 to 2 processes of group \"A\", 1 left alone");
        assertThat(r.details()).containsExactly("! SIGUSR1 [A] [localhost] [a/1/1] pid " + member(1).pid(),
                "! SIGUSR1 [A] [localhost] [a/2/2] pid " + member(2).pid(),
                "[A] [localhost] [a/3/3] left alone: no process runs (stopped)");
        scheduler.runReady();
        assertThat(workerOf(1).signals).containsExactly("USR1");
        assertThat(workerOf(2).signals).containsExactly("USR1");
        assertThat(workerOf(4).signals).isEmpty();
        assertThat(processes.signal(Target.process(3), "HUP").ok()).as("nothing to signal").isFalse();
    }

    @Test
    void aRestartStopsAndStartsAgainWithoutCountingAFailure() {
        start(YAML);
        long before = member(4).pid();
        ControlResult r = processes.restart(Target.process(4));
        assertThat(r.message()).isEqualTo("Restart of process 4: 1 process restarted");
        scheduler.runReady();
        assertThat(member(4).state()).isEqualTo(InstanceState.RUNNING);
        assertThat(member(4).pid()).isNotEqualTo(before);
        assertThat(member(4).crashes()).isZero();
        assertThat(member(4).restarts()).isEqualTo(1);
    }

    @Test
    void aRollingRestartKeepsTwoOfThreeRunningAndReplacesEveryProcess() {
        start(YAML);
        List<Long> before = List.of(member(1).pid(), member(2).pid(), member(3).pid());
        ControlResult r = processes.rollingRestart("A", new RollingOptions(1, Duration.ofSeconds(10)));
        assertThat(r.message()).isEqualTo("Rolling restart of group \"A\" began: 3 processes, 1 at a time, each next "
                + "batch once the new ones ran healthy for 10s; status shows its progress");
        long least = 3;
        for (int second = 0; second < 60; second++) {
            scheduler.runReady();
            least = Math.min(least, running("A"));
            assertThat(running("A")).isGreaterThanOrEqualTo(2);
            scheduler.advance(Duration.ofSeconds(1));
        }
        assertThat(least).as("one at a time").isEqualTo(2);
        assertThat(group("A").rollout().state()).isEqualTo("DONE");
        assertThat(group("A").rollout().replaced()).isEqualTo(3);
        assertThat(List.of(member(1).pid(), member(2).pid(), member(3).pid())).doesNotContainAnyElementsOf(before);
        assertThat(log).contains("[master] Rolling restart of group \"A\" (operator) done: 3 of 3 replaced");
    }

    @Test
    void theNextBatchWaitsForTheHealthyTimeAndStatusShowsTheProgress() {
        start(YAML);
        processes.rollingRestart("A", new RollingOptions(2, Duration.ofSeconds(10)));
        scheduler.runReady();
        assertThat(group("A").rollout().state()).isEqualTo("RUNNING");
        assertThat(group("A").rollout().message()).isEqualTo("0 of 3 replaced, 2 in progress");
        long third = member(3).pid();
        scheduler.advance(Duration.ofSeconds(9));
        assertThat(member(3).pid()).as("the third waits until the first two ran 10s").isEqualTo(third);
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(member(3).pid()).isNotEqualTo(third);
        assertThat(group("A").rollout().message()).isEqualTo("2 of 3 replaced, 1 in progress");
        assertThat(processes.rollingRestart("A", RollingOptions.GROUP_SETTINGS).message())
                .startsWith("Rolling restart of group \"A\" refused: a rolling restart of the group is under way");
    }

    @Test
    void aNewProcessThatFailsHaltsTheRolloutAndTheOthersKeepRunning() {
        start(YAML);
        long second = member(2).pid();
        long third = member(3).pid();
        processes.rollingRestart("A", new RollingOptions(1, Duration.ofSeconds(10)));
        scheduler.runReady();
        scheduler.advance(Duration.ofSeconds(3));
        workerOf(1).exit(3); // the new version crashes before it ran healthy
        scheduler.runReady();
        GroupStatus a = group("A");
        assertThat(a.rollout().state()).isEqualTo("HALTED");
        assertThat(a.rollout().message()).isEqualTo("halted: the new version of [A] [localhost] [a/1/1] exited with "
                + "exit code 3 (failure 1 of 5); 0 of 3 replaced, the others keep their old version");
        scheduler.advance(Duration.ofSeconds(20)); // more than a healthy time, less than the silence timeout
        assertThat(member(2).pid()).isEqualTo(second);
        assertThat(member(3).pid()).isEqualTo(third);
        assertThat(log).anyMatch(l -> l.startsWith("[master] Rolling restart of group \"A\" (operator) halted:"));
    }

    @Test
    void aReloadOfARollingGroupReplacesItOneAtATime() {
        String rolling = YAML.replace("      stop_timeout: 2\n      local: {instances_count: 3}",
                "      stop_timeout: 2\n      restart_strategy: rolling\n      rolling_healthy_time: 5s\n"
                        + "      local: {instances_count: 3}");
        start(rolling);
        ControlResult r = control.reload(parse(rolling.replace("command: a", "command: a2")), false);
        assertThat(r.message()).endsWith("3 changes; rolling restart of A");
        for (int second = 0; second < 40; second++) {
            scheduler.runReady();
            assertThat(running("A")).isGreaterThanOrEqualTo(2);
            scheduler.advance(Duration.ofSeconds(1));
        }
        assertThat(runner.fleet().group("A")).hasSize(3)
                .allSatisfy(s -> assertThat(s.plan().launch().command()).containsExactly("/bin/a", "a2"));
        assertThat(group("A").rollout().cause()).isEqualTo("reload");
        assertThat(group("A").rollout().state()).isEqualTo("DONE");
    }

    @Test
    void aSuspendedGroupStaysDownAcrossAReloadThatChangesIt() {
        start(YAML);
        control.suspend("B", false);
        scheduler.runReady();
        control.reload(parse(YAML.replace("command: b", "command: b2")), false);
        scheduler.runReady();
        assertThat(runner.fleet().group("B")).singleElement().satisfies(s -> {
            assertThat(s.state().isTerminal()).isTrue();
            assertThat(s.plan().launch().command()).containsExactly("/bin/b", "b2");
        });
        control.resume("B");
        scheduler.runReady();
        assertThat(running("B")).isEqualTo(1);
    }

    @Test
    void autostartFalseDefinesTheGroupStoppedUntilStart() {
        start(YAML.replace("      command: b\n", "      command: b\n      autostart: false\n"));
        assertThat(status(4).state()).isEqualTo("STOPPED");
        assertThat(status(4).held()).isEqualTo("autostart: false");
        assertThat(group("B").autostart()).isFalse();
        assertThat(launcher.started).hasSize(3);
        processes.start(Target.group("B"));
        scheduler.runReady();
        assertThat(running("B")).isEqualTo(1);
        assertThat(status(4).held()).isNull();
    }

    @Test
    void autostartFalseAloneDoesNotKeepAForegroundMasterWaiting() {
        start(YAML.replace("      command: b\n", "      command: b\n      autostart: false\n"));
        for (int id = 1; id <= 3; id++) {
            workerOf(id).exit(0);
        }
        scheduler.runReady();
        assertThat(runner.state()).isEqualTo(FleetState.STOPPED);
    }

    @Test
    void restartEveryRollsTheGroupOnSchedule() {
        // Quiet fake workers: neither their silence timeout nor the fleet's --timeout may interfere over hours.
        start(YAML.replace("      command: b\n", "      command: b\n      restart_every: 1h\n"
                + "      rolling_healthy_time: 1s\n      timeout: 100000\n").replace("command: a\n",
                "command: a\n      timeout: 100000\n"), OperatorState.none(),
                new MasterOptions(Duration.ZERO, 3, Duration.ofDays(1), false));
        long pid = member(4).pid();
        assertThat(group("B").schedule()).isEqualTo("every 1h");
        assertThat(group("B").nextRestartMillis()).isEqualTo(scheduler.clock().millis() + 3_600_000);
        scheduler.advance(Duration.ofMinutes(59));
        assertThat(member(4).pid()).isEqualTo(pid);
        scheduler.advance(Duration.ofMinutes(1));
        scheduler.advance(Duration.ofSeconds(2));
        assertThat(member(4).pid()).isNotEqualTo(pid);
        assertThat(group("B").rollout().cause()).isEqualTo("restart_every");
        assertThat(group("B").rollout().state()).isEqualTo("DONE");
        assertThat(group("B").nextRestartMillis()).isEqualTo(scheduler.clock().millis() - 2_000 + 3_600_000);
        assertThat(log).contains("[master] Rolling restart of group \"B\" (restart_every) done: 1 of 1 replaced");

        control.suspend("B", false);
        scheduler.runReady();
        scheduler.advance(Duration.ofHours(1));
        assertThat(log).contains("[master] Scheduled restart of group \"B\" (every 1h) skipped: the group is "
                + "suspended (resume it)");
    }

    @Test
    void persistedSuspendAndStopAreWrittenBesideThePidFileAndKeptAtTheNextStart() throws Exception {
        Path file = dir.resolve("distributed_architecture.state");
        List<String> problems = new ArrayList<>();
        start(YAML, OperatorState.load(file, problems::add), MasterOptions.DEFAULTS);
        assertThat(control.suspend("B", false, true).message()).isEqualTo("Suspended group \"B\": 1 process asked "
                + "to stop (persisted: kept suspended when the master starts again, until resume)");
        processes.stop(Target.process("A", 3), false, true);
        scheduler.runReady();
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(file)).contains("\"B\"", "\"group\" : \"A\"", "\"groupId\" : 3");
        assertThat(group("B").persisted()).isTrue();

        // A new master on the same file keeps both down.
        OperatorState again = OperatorState.load(file, problems::add);
        assertThat(again.suspendedGroups()).containsExactly("B");
        ProcessControlTest next = new ProcessControlTest();
        next.start(YAML, again, MasterOptions.DEFAULTS);
        assertThat(next.member(3).state()).isEqualTo(InstanceState.STOPPED);
        assertThat(next.member(3).held()).isEqualTo("stopped by operator, persisted");
        assertThat(next.member(4).state()).isEqualTo(InstanceState.STOPPED);
        assertThat(next.running("A")).isEqualTo(2);

        next.control.resume("B");
        next.processes.start(Target.process("A", 3));
        assertThat(file).doesNotExist();
        assertThat(problems).isEmpty();
    }

    @Test
    void aStateFileThatIsNotOursIsMovedAsideAndTheMasterStartsWithoutIt() throws Exception {
        Path file = dir.resolve("distributed_architecture.state");
        Files.writeString(file, "{\"version\": 1, \"suspendedGroups\": \"A\"");
        List<String> problems = new ArrayList<>();
        OperatorState state = OperatorState.load(file, problems::add);
        assertThat(state.suspendedGroups()).isEmpty();
        assertThat(problems).singleElement().asString().startsWith("Ignoring the operator state file " + file)
                .endsWith("moved it to " + file + ".invalid");
        assertThat(Files.readString(dir.resolve("distributed_architecture.state.invalid"))).contains("suspendedGroups");
    }

    @Test
    void persistingWithoutAStateFileIsRefused() {
        start(YAML);
        assertThat(control.suspend("A", false, true).ok()).isFalse();
        assertThat(processes.stop(Target.all(), false, true).message()).startsWith("Stop refused: this master has no "
                + "state file");
        scheduler.runReady();
        assertThat(running("A")).isEqualTo(3);
    }
}
