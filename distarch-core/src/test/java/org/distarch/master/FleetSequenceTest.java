package org.distarch.master;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.distarch.config.ConfigLoader;
import org.distarch.config.DistarchConfig;
import org.distarch.control.ControlResult;
import org.distarch.control.Target;
import org.distarch.event.DistarchEvent;
import org.distarch.event.MasterEvent;
import org.distarch.event.ProcessEvent;
import org.distarch.event.QueueEvent;
import org.distarch.instance.InstanceState;
import org.distarch.launch.Launcher;
import org.distarch.launch.RemoteTarget;
import org.distarch.output.LogRecord;
import org.distarch.output.LogSink;
import org.distarch.testing.FakeLauncher;
import org.distarch.testing.FakeLauncher.FakeWorker;
import org.distarch.testing.ManualScheduler;
import org.junit.jupiter.api.Test;

/**
 * The whole fleet on the fake launcher and virtual time: the exact event sequences of start-up, suspend, resume,
 * reload, a service's new cycle, {@code --max-running-time}, {@code --timeout} and shutdown, for a local and a
 * remote instance alike (the remote one only has another launcher).
 */
class FleetSequenceTest {

    private static final String YAML = """
            distributed_architecture:
              groups:
                Local:
                  command: w
                  bin_path: /bin/w
                  stop_timeout: 2
                  local: {instances_count: 1}
                Remote:
                  command: r
                  bin_path: /bin/r
                  stop_timeout: 2
                  remote: [{hosts: [h1]}]
            """;

    private final ManualScheduler scheduler = new ManualScheduler();
    private final FakeLauncher local = new FakeLauncher();
    private final FakeLauncher remoteLauncher = new FakeLauncher();
    private final List<DistarchEvent> events = new ArrayList<>();
    private final List<String> log = new ArrayList<>();
    private final Map<String, Duration> remoteGraces = new LinkedHashMap<>();
    private final FleetPlanner planner = new FleetPlanner(new SelfCommand(List.of("java", "App")));
    private FleetRunner runner;
    private FleetControl control;

    private void start(String yaml, MasterOptions options) {
        DistarchConfig config = ConfigLoader.parse(yaml, "t.yaml", n -> null);
        LogSink sink = r -> log.add((r.source() == null ? "[master]" : r.source().prefix()) + " " + r.message());
        RemoteLaunchers remote = new RemoteLaunchers() {
            @Override
            public Launcher forTarget(String group, RemoteTarget target, Duration grace) {
                remoteGraces.put(group + "@" + target.host(), grace);
                return remoteLauncher;
            }

            @Override
            public void close() { }
        };
        Consumer<DistarchEvent> recorder = e -> {
            if (!(e instanceof ProcessEvent.Running) && !(e instanceof MasterEvent.Running)) {
                events.add(e);
            }
        };
        runner = new FleetRunner(options, scheduler, sink, recorder, local, remote, new Random(1), "localhost");
        control = new FleetControl(runner, planner, config, options.service(), () -> 0);
        runner.startUp(planner.plan(config, Map.of()), false);
        scheduler.runReady();
    }

    private void start() {
        start(YAML, MasterOptions.DEFAULTS);
    }

    /** The events since the last call, as "name id" (master events: "name"). */
    private List<String> take() {
        List<String> names = events.stream().map(e -> e instanceof ProcessEvent p ? e.name() + " " + p.process().id()
                : e instanceof QueueEvent q ? e.name() + " " + q.process().id() : e.name()).toList();
        events.clear();
        return names;
    }

    private FakeWorker localWorker() {
        return local.last();
    }

    private FakeWorker remoteWorker() {
        return remoteLauncher.last();
    }

    @Test
    void startUpCreatesThenStartsEveryInstanceLocalAndRemoteAlike() {
        start();
        // master_started: every process has been asked to start; each one's start is reported as it happens.
        assertThat(take()).containsExactly("process_created 1", "process_created 2", "process_starting 1",
                "process_starting 2", "master_started", "process_started 1", "process_started 2");
        assertThat(runner.state()).isEqualTo(FleetState.RUNNING);
        assertThat(remoteGraces).containsEntry("Remote@h1", Duration.ofSeconds(2));
        assertThat(remoteLauncher.specs.get(0).command()).containsExactly("/bin/r", "r");
    }

    @Test
    void suspendAndResumeOfTheRemoteGroupUseTheOneStopSequenceWithItsGrace() {
        start();
        take();
        remoteWorker().obeysStop = false;
        assertThat(control.suspend("Remote", false).ok()).isTrue();
        scheduler.runReady();
        assertThat(take()).containsExactly("process_stopping 2");
        scheduler.advance(Duration.ofSeconds(2)); // the group's stop_timeout, not --timeout's 300 s
        assertThat(remoteWorker().killed).isEqualTo(1);
        assertThat(take()).containsExactly("process_stopped 2");
        assertThat(log).contains("[Remote] [h1] [r/2/1] did not stop within 2s, force kill");
        assertThat(runner.state()).isEqualTo(FleetState.RUNNING);

        assertThat(control.resume("Remote").message()).isEqualTo("Resumed group \"Remote\": 1 process started");
        scheduler.runReady();
        assertThat(take()).containsExactly("process_starting 2", "process_started 2");
        assertThat(remoteLauncher.started).hasSize(2);
    }

    @Test
    void aForcedSuspendKillsAtOnce() {
        start();
        take();
        control.suspend(null, true);
        scheduler.runReady();
        assertThat(localWorker().killed).isEqualTo(1);
        assertThat(remoteWorker().killed).isEqualTo(1);
        assertThat(localWorker().stopAsked).isZero();
        assertThat(take()).containsExactly("process_stopping 1", "process_stopping 2", "process_stopped 1",
                "process_stopped 2");
    }

    @Test
    void aLostRemoteSessionIsAFailureOfTheRestartPolicyAndTheInstanceComesBack() {
        start();
        take();
        remoteWorker().lose("the session with h1 ended: h1 unreachable");
        scheduler.runReady();
        List<DistarchEvent> stopped = List.copyOf(events);
        assertThat(take()).containsExactly("process_stopped 2");
        ProcessEvent.Stopped s = (ProcessEvent.Stopped) stopped.get(0);
        assertThat(s.outcome()).isEqualTo(ProcessEvent.Outcome.RESTARTING);
        scheduler.advance(s.restartIn());
        assertThat(take()).containsExactly("process_starting 2", "process_started 2");
    }

    @Test
    void reloadChangesOnlyTheDifferenceRemoteEntriesIncluded() {
        start();
        take();
        var result = control.reload(ConfigLoader.parse(YAML.replace("hosts: [h1]", "hosts: [h1, h2]"), "t.yaml",
                n -> null), false);
        assertThat(result.details()).containsExactly("+ start   [Remote] [h2] [r/3/2] (instances raised to 2 from 1)");
        scheduler.runReady();
        assertThat(take()).containsExactly("process_created 3", "process_starting 3", "process_started 3");
        assertThat(remoteGraces).containsKey("Remote@h2");

        control.reload(ConfigLoader.parse(YAML.replace("command: r", "command: r2"), "t.yaml", n -> null), false);
        scheduler.runReady();
        // The changed group's processes are replaced one by one (new version once the old one stopped); h2 goes.
        assertThat(take()).containsExactly("process_created 2", "process_stopping 2", "process_stopping 3",
                "process_stopped 2", "process_starting 2", "process_stopped 3", "process_started 2");
        assertThat(remoteLauncher.specs.get(remoteLauncher.specs.size() - 1).command()).containsExactly("/bin/r", "r2");
    }

    @Test
    void shutdownStopsEverythingWithTheMastersGraceThenKillsAndEnds() {
        start();
        take();
        localWorker().obeysStop = false;
        runner.stopAll("Received SIGTERM, stopping", Duration.ofSeconds(300));
        scheduler.runReady();
        assertThat(take()).containsExactly("process_stopping 1", "process_stopping 2", "process_stopped 2");
        assertThat(runner.state()).isEqualTo(FleetState.STOPPING);
        scheduler.advance(Duration.ofSeconds(299));
        assertThat(localWorker().killed).isZero();
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(localWorker().killed).isPositive();
        assertThat(take()).containsExactly("process_stopped 1");
        assertThat(runner.state()).isEqualTo(FleetState.STOPPED);
        assertThat(runner.done()).isCompletedWithValue(0);
        assertThat(log).contains("[master] Stopping... (Received SIGTERM, stopping)",
                "[Local] [localhost] [w/1/1] Timeout waiting for clean shutdown, force kill");
    }

    @Test
    void maxRunningTimeStopsEveryProcessGracefullyThenEnds() {
        start(YAML, new MasterOptions(Duration.ofSeconds(20), 3, Duration.ofSeconds(300), false));
        take();
        scheduler.advance(Duration.ofSeconds(20));
        assertThat(take()).containsExactly("process_stopping 1", "process_stopping 2", "process_stopped 1",
                "process_stopped 2");
        assertThat(runner.done()).isCompletedWithValue(0);
        assertThat(runner.stopReason()).isEqualTo("--max-running-time of 20s reached");
    }

    @Test
    void theMastersTimeoutKillsEverythingWhenNoProcessSaidAnything() {
        start(YAML.replace("stop_timeout: 2", "stop_timeout: 2\n      timeout: 600"),
                new MasterOptions(Duration.ZERO, 3, Duration.ofSeconds(10), false));
        take();
        localWorker().obeysStop = false;
        remoteWorker().obeysStop = false;
        scheduler.advance(Duration.ofSeconds(9));
        remoteWorker().print("still here"); // a remote worker's own line is a sign of life like any other
        scheduler.advance(Duration.ofSeconds(9));
        assertThat(runner.state()).isEqualTo(FleetState.RUNNING);
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(runner.state()).isEqualTo(FleetState.STOPPED);
        assertThat(localWorker().killed).isPositive();
        assertThat(remoteWorker().killed).isPositive();
        assertThat(take()).containsExactly("process_stopping 1", "process_stopping 2", "process_stopped 1",
                "process_stopped 2");
        assertThat(runner.done()).isCompletedWithValue(1);
        assertThat(log).contains("[master] Timeout waiting for content, force kill");
    }

    @Test
    void aServiceStartsItsGroupsAgainWhenEveryProcessEnded() {
        start(YAML, MasterOptions.DEFAULTS.withService(true));
        take();
        localWorker().exit(0);
        remoteWorker().exit(0);
        scheduler.runReady();
        assertThat(take()).containsExactly("process_stopped 1", "process_stopped 2");
        assertThat(runner.state()).isEqualTo(FleetState.RECYCLING);
        scheduler.advance(Duration.ofSeconds(1));
        // Each cycle is announced like the first (the original fires master_starting/started every time).
        assertThat(take()).containsExactly("master_starting", "process_starting 1", "process_starting 2",
                "master_started", "process_started 1", "process_started 2");
        assertThat(runner.state()).isEqualTo(FleetState.RUNNING);
        assertThat(log).contains("[master] Every process has ended: starting the groups again");
    }

    private static final MasterOptions SERVICE_20S = new MasterOptions(Duration.ofSeconds(20), 3,
            Duration.ofSeconds(300), true);

    /** The seed's service recycles the whole fleet every --max-running-time and never exits (ours used to exit). */
    @Test
    void aServiceRecyclesTheWholeFleetEveryMaxRunningTimeAndNeverEnds() {
        start(YAML, SERVICE_20S);
        take();
        for (int cycle = 1; cycle <= 2; cycle++) {
            scheduler.advance(Duration.ofSeconds(19));
            assertThat(take()).as("cycle %d before its time", cycle).isEmpty();
            if (cycle == 2) {
                localWorker().obeysStop = false; // the one stop sequence: the master's grace, then the kill
            }
            scheduler.advance(Duration.ofSeconds(1));
            assertThat(runner.state()).isEqualTo(cycle == 2 ? FleetState.RENEWING : FleetState.RECYCLING);
            if (cycle == 2) {
                assertThat(take()).containsExactly("process_stopping 1", "process_stopping 2", "process_stopped 2");
                scheduler.advance(Duration.ofSeconds(299));
                assertThat(localWorker().killed).isZero();
                assertThat(control.resume(null).ok()).as("nothing starts while the fleet renews").isFalse();
                scheduler.advance(Duration.ofSeconds(1));
                assertThat(localWorker().killed).isEqualTo(1);
                assertThat(take()).containsExactly("process_stopped 1");
                assertThat(log).contains("[Local] [localhost] [w/1/1] Timeout waiting for clean shutdown, force kill");
            } else {
                assertThat(take()).containsExactly("process_stopping 1", "process_stopping 2", "process_stopped 1",
                        "process_stopped 2");
            }
            assertThat(runner.state()).isEqualTo(FleetState.RECYCLING);
            scheduler.advance(Duration.ofSeconds(1));
            assertThat(take()).as("cycle %d", cycle + 1).containsExactly("master_starting", "process_starting 1",
                    "process_starting 2", "master_started", "process_started 1", "process_started 2");
            assertThat(runner.state()).isEqualTo(FleetState.RUNNING);
        }
        assertThat(local.started).hasSize(3);
        assertThat(remoteLauncher.started).hasSize(3);
        assertThat(runner.done()).isNotDone();
        assertThat(log).filteredOn(l -> l.equals(
                "[master] Stopping... (--max-running-time of 20s reached: recycling the fleet)")).hasSize(2);
        assertThat(log).filteredOn(l -> l.equals("[master] Every process has stopped: starting the groups again"))
                .hasSize(2);
    }

    @Test
    void aServiceCountsMaxRunningTimeFromTheStartOfEachCycle() {
        start(YAML, SERVICE_20S);
        scheduler.advance(Duration.ofSeconds(5));
        localWorker().exit(0);
        remoteWorker().exit(0);
        scheduler.advance(Duration.ofSeconds(1)); // the next cycle starts at 6 s
        take();
        scheduler.advance(Duration.ofSeconds(19));
        assertThat(take()).as("the first cycle's timer (20 s) no longer counts").isEmpty();
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(take()).startsWith("process_stopping 1", "process_stopping 2");
        assertThat(runner.state()).isEqualTo(FleetState.RECYCLING);
    }

    @Test
    void aServiceWhoseGroupsAreAllSuspendedHasNothingToRecycleAndWaits() {
        start(YAML, SERVICE_20S);
        control.suspend(null, false);
        scheduler.runReady();
        take();
        scheduler.advance(Duration.ofSeconds(60));
        assertThat(take()).isEmpty();
        assertThat(runner.state()).isEqualTo(FleetState.RUNNING);
        assertThat(control.resume(null).ok()).isTrue();
        scheduler.runReady();
        assertThat(take()).containsExactly("process_starting 1", "process_starting 2", "process_started 1",
                "process_started 2");
    }

    @Test
    void aStopWhileAServiceRenewsWinsAndNoNewCycleStarts() {
        start(YAML, SERVICE_20S);
        take();
        localWorker().obeysStop = false;
        scheduler.advance(Duration.ofSeconds(20));
        assertThat(runner.state()).isEqualTo(FleetState.RENEWING);
        runner.stopAll("Received SIGTERM, stopping", Duration.ofSeconds(300));
        assertThat(runner.state()).isEqualTo(FleetState.STOPPING);
        scheduler.advance(Duration.ofSeconds(300)); // the grace runs from the renewal's stop, not again
        assertThat(localWorker().killed).isEqualTo(1);
        assertThat(runner.state()).isEqualTo(FleetState.STOPPED);
        assertThat(runner.done()).isCompletedWithValue(0);
        assertThat(runner.stopReason()).isEqualTo("Received SIGTERM, stopping");
        scheduler.advance(Duration.ofMinutes(5));
        assertThat(take()).doesNotContain("master_starting", "process_starting 1");
        assertThat(local.started).hasSize(1);
    }

    @Test
    void aStopInTheSecondBetweenTwoCyclesWins() {
        start(YAML, SERVICE_20S);
        scheduler.advance(Duration.ofSeconds(20));
        assertThat(runner.state()).isEqualTo(FleetState.RECYCLING);
        take();
        runner.stopAll("Received SIGTERM, stopping", Duration.ofSeconds(300));
        assertThat(runner.state()).isEqualTo(FleetState.STOPPED);
        assertThat(runner.done()).isCompletedWithValue(0);
        scheduler.advance(Duration.ofMinutes(1));
        assertThat(take()).isEmpty();
        assertThat(local.started).hasSize(1);
    }

    @Test
    void inTheForegroundTheFleetEndsWhenEveryProcessEnded() {
        start();
        take();
        localWorker().exit(0);
        remoteWorker().exit(3);
        scheduler.runReady();
        remoteLauncher.failNextLaunches = 99; // what if it never comes back: given up after max_failures
        scheduler.advance(Duration.ofMinutes(10));
        assertThat(runner.state()).isEqualTo(FleetState.STOPPED);
        assertThat(runner.done()).isCompletedWithValue(1);
        assertThat(runner.stopReason()).isEqualTo("every process ended or was given up");
    }

    @Test
    void consumersWaitForTheirFeedersListeningLineFromWhicheverHost() {
        start("""
                distributed_architecture:
                  queue_groups:
                    Q:
                      command: q
                      bin_path: /bin/q
                      remote_feeder: {bind_to: 10.9.0.1, hosts: [h1]}
                      consumers:
                        local: {instances_count: 1, host: 10.9.0.1}
                """, MasterOptions.DEFAULTS);
        assertThat(take()).containsExactly("process_created 1", "process_created 2", "process_starting 1",
                "master_started", "process_started 1");
        assertThat(local.started).isEmpty();
        remoteWorker().print("@@distarch listening 10.9.0.1:9999");
        scheduler.runReady();
        assertThat(take()).containsExactly("queue_feeder_listening 1", "process_starting 2", "process_started 2");
    }

    /**
     * Regression (CI, QueueGroupsIT): a stopping master asked feeder and consumers at once; a consumer waiting for
     * its next item closed as the feeder sent it one, and the item was lost in flight. Now the feeder stops first
     * (its stop frame lets the consumers finish what they hold), and the consumers only once it has.
     */
    @Test
    void aStoppingMasterStopsAQueueGroupsConsumersOnlyOnceItsFeederHasStopped() {
        List<FakeWorker> q = startQueueGroup();
        FakeWorker feeder = q.get(0);
        feeder.obeysStop = false; // it drains the items in flight first
        runner.stopAll("Received SIGTERM, stopping", Duration.ofSeconds(300));
        scheduler.runReady();
        assertThat(feeder.stopAsked).isEqualTo(1);
        assertThat(q.get(1).stopAsked + q.get(2).stopAsked).as("consumers keep serving while it drains").isZero();
        assertThat(take()).containsExactly("process_stopping 1");
        scheduler.advance(Duration.ofSeconds(2));
        feeder.exit(0);
        scheduler.runReady();
        assertThat(q.get(1).stopAsked).isEqualTo(1);
        assertThat(q.get(2).stopAsked).isEqualTo(1);
        assertThat(take()).containsExactly("process_stopped 1", "process_stopping 2", "process_stopping 3",
                "process_stopped 2", "process_stopped 3");
        assertThat(runner.state()).isEqualTo(FleetState.STOPPED);
        assertThat(runner.done()).isCompletedWithValue(0);
    }

    @Test
    void aSuspendedQueueGroupsConsumersStopAfterItsFeederUnlessItWasResumedMeanwhile() {
        List<FakeWorker> q = startQueueGroup();
        q.get(0).obeysStop = false;
        assertThat(control.suspend("Q", false).ok()).isTrue();
        scheduler.runReady();
        assertThat(q.get(1).stopAsked + q.get(2).stopAsked).isZero();
        assertThat(control.resume("Q").ok()).isTrue();
        q.get(0).exit(0);
        scheduler.runReady();
        assertThat(q.get(1).stopAsked + q.get(2).stopAsked).as("the group runs again: they stay").isZero();
    }

    /** The same for an operator's stop of the group: the consumers are held at once, stopped after the feeder. */
    @Test
    void anOperatorsStopOfAQueueGroupStopsItsConsumersOnlyOnceItsFeederHasStopped() {
        List<FakeWorker> q = startQueueGroup();
        List<ControlResult> stop = new ArrayList<>();
        assertConsumersAskedOnlyOnceTheFeederHasExited(q,
                () -> stop.add(control.processes().stop(Target.group("Q"), false, false)));
        assertThat(stop.get(0).details()).filteredOn(d -> d.contains("after its feeder")).hasSize(2);
        assertThat(take()).containsExactly("process_stopping 1", "process_stopped 1", "process_stopping 2",
                "process_stopping 3", "process_stopped 2", "process_stopped 3");
        assertThat(runner.fleet().all()).allSatisfy(s -> {
            assertThat(s.state()).isEqualTo(InstanceState.STOPPED);
            assertThat(s.held()).isEqualTo(Reconciler.STOPPED_BY_OPERATOR);
        });
    }

    /** An operator's restart of the group: the consumers restart once the feeder's old process has stopped. */
    @Test
    void anOperatorsRestartOfAQueueGroupRestartsItsConsumersOnlyOnceItsFeederHasStopped() {
        List<FakeWorker> q = startQueueGroup();
        List<ControlResult> restart = new ArrayList<>();
        assertConsumersAskedOnlyOnceTheFeederHasExited(q,
                () -> restart.add(control.processes().restart(Target.group("Q"))));
        assertThat(restart.get(0).details()).filteredOn(d -> d.contains("after its feeder")).hasSize(2);
        assertThat(local.started).as("the feeder and both consumers started again").hasSize(6);
    }

    @Test
    void aQueueGroupStartedAgainWhileItsFeederStopsKeepsItsConsumers() {
        List<FakeWorker> q = startQueueGroup();
        q.get(0).obeysStop = false;
        control.processes().stop(Target.group("Q"), false, false);
        scheduler.runReady();
        assertThat(control.processes().start(Target.group("Q")).details()).containsExactly(
                "+ start   [Q] [localhost] [Consumer - q/2/2] (started by operator)",
                "+ start   [Q] [localhost] [Consumer - q/3/3] (started by operator)",
                "[Q] [localhost] [Feeder - q/1/1] left alone: still stopping (start it again once stopped)");
        scheduler.runReady();
        q.get(0).exit(0);
        scheduler.runReady();
        assertThat(q.get(1).stopAsked + q.get(2).stopAsked).as("started again: they stay").isZero();
        assertThat(runner.fleet().byId(2).orElseThrow().state()).isEqualTo(InstanceState.RUNNING);
        assertThat(runner.fleet().byId(2).orElseThrow().held()).isNull();
        assertThat(runner.fleet().byId(1).orElseThrow().held()).as("the feeder stays held").isNotNull();
    }

    @Test
    void aConsumerHeldForItsFeedersStopThatExitsMeanwhileStaysDown() {
        List<FakeWorker> q = startQueueGroup();
        q.get(0).obeysStop = false;
        control.processes().stop(Target.group("Q"), false, false);
        scheduler.runReady();
        q.get(1).exit(1);
        scheduler.advance(Duration.ofSeconds(30));
        assertThat(local.started).as("not restarted").hasSize(3);
        assertThat(runner.fleet().byId(2).orElseThrow().state()).isEqualTo(InstanceState.STOPPED);
        q.get(0).exit(0);
        scheduler.runReady();
        assertThat(q.get(1).stopAsked).isZero();
        assertThat(q.get(2).stopAsked).isEqualTo(1);
        assertThat(local.started).hasSize(3);
    }

    @Test
    void aReloadThatRemovesAQueueGroupStopsItsConsumersOnlyOnceItsFeederHasStopped() {
        List<FakeWorker> q = startQueueGroup();
        DistarchConfig without = ConfigLoader.parse("""
                distributed_architecture:
                  groups:
                    W:
                      command: w
                      bin_path: /bin/w
                      local: {instances_count: 1}
                """, "t.yaml", n -> null);
        assertThat(control.reload(without, true).details()).containsExactly(
                "+ start   [W] [localhost] [w/4/1] (new group)",
                "- stop    [Q] [localhost] [Feeder - q/1/1] (group removed)",
                "- stop    [Q] [localhost] [Consumer - q/2/2] (group removed, after its feeder)",
                "- stop    [Q] [localhost] [Consumer - q/3/3] (group removed, after its feeder)");
        assertConsumersAskedOnlyOnceTheFeederHasExited(q, () -> control.reload(without, false));
        assertThat(runner.fleet().all()).extracting(s -> s.identity().group()).containsExactly("W");
    }

    @Test
    void aReloadThatReplacesAQueueGroupAtOnceStopsItsOldConsumersOnlyOnceItsOldFeederHasStopped() {
        List<FakeWorker> q = startQueueGroup();
        DistarchConfig changed = ConfigLoader.parse(YAML_Q2.replace("command: q", "command: q2"), "t.yaml", n -> null);
        assertThat(control.reload(changed, true).details()).containsExactly(
                "~ restart [Q] [localhost] [Feeder - q2/1/1] (command, params or settings changed)",
                "~ restart [Q] [localhost] [Consumer - q2/2/2] (command, params or settings changed, after its feeder)",
                "~ restart [Q] [localhost] [Consumer - q2/3/3] (command, params or settings changed, after its feeder)");
        assertConsumersAskedOnlyOnceTheFeederHasExited(q, () -> control.reload(changed, false));
        assertThat(local.started).as("the new versions, once the old ones have stopped").hasSize(6);
        assertThat(local.specs.subList(3, 6)).allSatisfy(s -> assertThat(s.toString()).contains("q2"));
    }

    /**
     * Runs {@code stop} on {@link #startQueueGroup()}'s group, its feeder draining: the feeder is asked to stop at
     * once, the consumers only once it has exited.
     */
    private void assertConsumersAskedOnlyOnceTheFeederHasExited(List<FakeWorker> q, Runnable stop) {
        q.get(0).obeysStop = false;
        stop.run();
        scheduler.runReady();
        assertThat(q.get(0).stopAsked).isEqualTo(1);
        assertThat(q.get(1).stopAsked + q.get(2).stopAsked).as("consumers keep serving while it drains").isZero();
        q.get(0).exit(0);
        scheduler.runReady();
        assertThat(q.get(1).stopAsked).isEqualTo(1);
        assertThat(q.get(2).stopAsked).isEqualTo(1);
    }

    /** Q: a local feeder and {@code consumers} local consumers. */
    private static DistarchConfig queueGroup(int consumers) {
        return ConfigLoader.parse(YAML_Q.formatted(consumers), "t.yaml", n -> null);
    }

    private static final String YAML_Q = """
            distributed_architecture:
              queue_groups:
                Q:
                  command: q
                  bin_path: /bin/q
                  local_feeder: {bind_to: 127.0.0.1, port: 9999}
                  consumers:
                    local: {instances_count: %d, host: 127.0.0.1, port: 9999}
            """;
    /** {@link #queueGroup(int)}'s configuration with two consumers, as {@link #startQueueGroup()} starts it. */
    private static final String YAML_Q2 = YAML_Q.formatted(2);

    /** Q with two consumers, all running, the events taken. */
    private List<FakeWorker> startQueueGroup() {
        DistarchConfig config = queueGroup(2);
        runner = new FleetRunner(MasterOptions.DEFAULTS, scheduler, r -> { }, e -> {
            if (!(e instanceof ProcessEvent.Running) && !(e instanceof MasterEvent.Running)) {
                events.add(e);
            }
        }, local, null, new Random(1), "localhost");
        control = new FleetControl(runner, planner, config, false, () -> 0);
        runner.startUp(planner.plan(config, Map.of()), false);
        scheduler.runReady();
        local.started.get(0).print("@@distarch listening 127.0.0.1:9999");
        scheduler.runReady();
        assertThat(local.started).hasSize(3);
        take();
        return List.copyOf(local.started);
    }

    /** A consumer still held at the gate (its feeder never listened) is stopped with the master's reason. */
    @Test
    void aConsumerHeldForAFeederThatNeverListenedStopsWithTheMaster() {
        DistarchConfig config = queueGroup(1);
        List<LogRecord> records = new ArrayList<>();
        runner = new FleetRunner(MasterOptions.DEFAULTS, scheduler, records::add, e -> { }, local, null,
                new Random(1), "localhost");
        runner.startUp(planner.plan(config, Map.of()), false);
        scheduler.runReady();
        assertThat(local.started).hasSize(1);
        runner.stopAll("Received SIGTERM, stopping", Duration.ofSeconds(300));
        scheduler.runReady();
        assertThat(runner.state()).isEqualTo(FleetState.STOPPED);
        assertThat(records).extracting(LogRecord::message).noneMatch(m -> m.contains("never listened"));
    }

    /** Regression (one-model issue, defect 7): an exception during start-up left Master.run() waiting forever. */
    @Test
    void anExceptionDuringStartUpCompletesTheFleetExceptionally() {
        DistarchConfig config = ConfigLoader.parse(YAML, "t.yaml", n -> null);
        Launcher broken = (spec, output) -> {
            throw new IllegalStateException("a bug in a launcher");
        };
        runner = new FleetRunner(MasterOptions.DEFAULTS, scheduler, r -> { }, e -> { }, broken, null, new Random(1),
                "localhost");
        runner.startUp(planner.plan(config, Map.of()).subList(0, 1), false);
        assertThat(runner.done()).isCompletedExceptionally();
        assertThat(runner.state()).isEqualTo(FleetState.STOPPED);
    }
}
