package org.distarch.supervise;

import org.distarch.testing.FakeLauncher;
import org.distarch.testing.ManualScheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.distarch.config.Autorestart;
import org.distarch.config.RestartConfig;
import org.distarch.config.RunOptions;
import org.distarch.config.StopSignal;
import org.distarch.event.DistarchEvent;
import org.distarch.event.ProcessEvent;
import org.distarch.event.ProcessIdentity;
import org.distarch.event.ProcessRole;
import org.distarch.event.QueueEvent;
import org.distarch.instance.InstanceState;
import org.distarch.launch.LaunchSpec;
import org.distarch.output.LogRecord;
import org.distarch.output.LogSink;
import org.distarch.restart.RestartPolicy;
import org.distarch.worker.protocol.LogLevel;
import org.junit.jupiter.api.Test;

/** Supervision of one instance against a fake launcher on virtual time: exact event sequences, no sleeping. */
class InstanceSupervisorTest {

    private final ManualScheduler scheduler = new ManualScheduler();
    private final FakeLauncher launcher = new FakeLauncher();
    private final List<DistarchEvent> events = new ArrayList<>();
    private final List<LogRecord> logs = new ArrayList<>();
    private int settled;
    private final List<String> listening = new ArrayList<>();
    /** The log's records and the events as they came, one list. */
    private final List<String> order = new ArrayList<>();

    private InstanceSupervisor supervisor(int maxFailures, int maxTimeouts) {
        return supervisor(maxFailures, maxTimeouts, Duration.ofSeconds(10), RunOptions.DEFAULT);
    }

    private InstanceSupervisor supervisor(int maxFailures, int maxTimeouts, Duration timeout, RunOptions run) {
        RestartConfig restart = new RestartConfig(Duration.ofSeconds(1), Duration.ofSeconds(60), 2.0, 0.0,
                Duration.ofSeconds(60), maxFailures);
        InstancePlan plan = new InstancePlan(new ProcessIdentity(1, 1, 1, "g", "localhost", "cmd", ProcessRole.WORKER),
                new LaunchSpec(List.of("cmd"), null, Map.of(), null), timeout, Duration.ofSeconds(5),
                restart, null, null, run);
        LogSink sink = r -> {
            logs.add(r);
            order.add("log " + r.message());
        };
        return new InstanceSupervisor(plan, launcher, scheduler, sink, e -> {
            events.add(e);
            order.add("event " + e.name());
        },
                new RestartPolicy(restart, run, maxTimeouts, () -> 0.5), new InstanceSupervisor.Hooks() {
                    @Override
                    public void alive(long epochMillis) { }

                    @Override
                    public void feederListening(ProcessIdentity feeder, String address) {
                        listening.add(feeder.display() + " " + address);
                    }

                    @Override
                    public void settled(InstanceSupervisor instance) {
                        settled++;
                    }
                });
    }

    private List<String> names() {
        return events.stream().filter(e -> !(e instanceof ProcessEvent.Running)).map(DistarchEvent::name).toList();
    }

    @Test
    void aCleanExitEndsTheInstanceWithoutRestart() {
        InstanceSupervisor s = supervisor(5, 3);
        s.start();
        scheduler.runReady();
        launcher.last().print("hello");
        launcher.last().exit(0);
        scheduler.runReady();

        assertThat(s.state()).isEqualTo(InstanceState.ENDED);
        assertThat(names()).containsExactly("process_created", "process_starting", "process_started", "process_stopped");
        // The Started line is written before the worker's first line is let through (it used to come after).
        assertThat(logs).extracting(LogRecord::message)
                .containsExactly("Started (pid " + launcher.last().pid() + ")", "hello");
        assertThat(settled).isEqualTo(1);
        scheduler.advance(Duration.ofMinutes(5));
        assertThat(launcher.started).hasSize(1);
    }

    /** Regression (seed-compatibility issue): a death by signal read "exited with killed by signal 9 (SIGKILL)". */
    @Test
    void everyCrashReasonIsOneSentenceExitCodeOrSignal() {
        InstanceSupervisor s = supervisor(5, 3);
        s.start();
        scheduler.runReady();
        launcher.last().exit(137);
        scheduler.runReady();
        ProcessEvent.Stopped killed = (ProcessEvent.Stopped) events.get(events.size() - 1);
        assertThat(killed.reason()).isEqualTo("killed by signal 9 (SIGKILL) (failure 1 of 5)");

        scheduler.advance(killed.restartIn());
        launcher.last().exit(3);
        scheduler.runReady();
        ProcessEvent.Stopped crashed = (ProcessEvent.Stopped) events.get(events.size() - 1);
        assertThat(crashed.reason()).isEqualTo("exited with exit code 3 (failure 2 of 5)");

        List<LogRecord> lines = new ArrayList<>();
        new org.distarch.output.EventLogger(lines::add).onEvent(killed);
        assertThat(lines).extracting(LogRecord::message)
                .containsExactly("Restarting in 1.0s: killed by signal 9 (SIGKILL) (failure 1 of 5)");
    }

    @Test
    void aCrashIsRestartedAfterAGrowingBackoffAndFinallyGivenUp() {
        InstanceSupervisor s = supervisor(3, 3);
        s.start();
        scheduler.runReady();
        launcher.last().exit(3);
        scheduler.runReady();
        assertThat(s.state()).isEqualTo(InstanceState.BACKOFF);
        ProcessEvent.Stopped first = (ProcessEvent.Stopped) events.get(events.size() - 1);
        assertThat(first.restartIn()).isEqualTo(Duration.ofSeconds(1));
        assertThat(first.exit().code()).isEqualTo(3);

        scheduler.advance(Duration.ofMillis(999));
        assertThat(launcher.started).hasSize(1);
        scheduler.advance(Duration.ofMillis(1));
        assertThat(launcher.started).hasSize(2);

        launcher.last().exit(3);
        scheduler.runReady();
        ProcessEvent.Stopped second = (ProcessEvent.Stopped) events.get(events.size() - 1);
        assertThat(second.restartIn()).isEqualTo(Duration.ofSeconds(2));
        scheduler.advance(Duration.ofSeconds(2));
        launcher.last().exit(3);
        scheduler.runReady();

        assertThat(s.state()).isEqualTo(InstanceState.FAILED);
        ProcessEvent.Stopped last = (ProcessEvent.Stopped) events.get(events.size() - 1);
        assertThat(last.outcome()).isEqualTo(ProcessEvent.Outcome.FAILED);
        assertThat(last.reason()).contains("giving up");
        assertThat(settled).isEqualTo(1);
    }

    @Test
    void aSilentProcessTimesOutIsRestartedAndRemovedAfterMaxTimeouts() {
        InstanceSupervisor s = supervisor(5, 2);
        s.start();
        scheduler.advance(Duration.ofSeconds(9));
        launcher.last().print("still here");
        scheduler.advance(Duration.ofSeconds(9));
        assertThat(s.state()).as("output resets the silence timer").isEqualTo(InstanceState.RUNNING);

        scheduler.advance(Duration.ofSeconds(1));
        assertThat(names()).contains("process_timedout");
        assertThat(launcher.started.get(0).stopAsked).isEqualTo(1);
        assertThat(s.state()).isEqualTo(InstanceState.BACKOFF);

        scheduler.advance(Duration.ofSeconds(1));
        assertThat(launcher.started).hasSize(2);
        scheduler.advance(Duration.ofSeconds(10));
        assertThat(s.state()).isEqualTo(InstanceState.FAILED);
        assertThat(((ProcessEvent.Stopped) events.get(events.size() - 1)).reason()).contains("timed out 2 times");
    }

    @Test
    void aTimedOutProcessThatIgnoresTheStopIsKilledAfterStopTimeout() {
        InstanceSupervisor s = supervisor(5, 3);
        s.start();
        scheduler.runReady();
        launcher.last().obeysStop = false;
        scheduler.advance(Duration.ofSeconds(10));
        assertThat(s.state()).isEqualTo(InstanceState.STOPPING);
        scheduler.advance(Duration.ofMillis(4999));
        assertThat(launcher.last().killed).isZero();
        scheduler.advance(Duration.ofMillis(1));
        assertThat(launcher.started.get(0).killed).isEqualTo(1);
        assertThat(logs).extracting(LogRecord::message).contains("Timeout reached while waiting for soft stop...");
        assertThat(s.state()).isEqualTo(InstanceState.BACKOFF);
    }

    @Test
    void aStopRequestEndsStoppedAndIsNeverRestarted() {
        InstanceSupervisor s = supervisor(5, 3);
        s.start();
        scheduler.runReady();
        s.stop("shutdown", Duration.ofSeconds(10));
        scheduler.runReady();
        assertThat(s.state()).isEqualTo(InstanceState.STOPPED);
        assertThat(names()).containsExactly("process_created", "process_starting", "process_started",
                "process_stopping", "process_stopped");
        scheduler.advance(Duration.ofMinutes(10));
        assertThat(launcher.started).hasSize(1);
    }

    @Test
    void aStopDuringBackoffCancelsTheRestart() {
        InstanceSupervisor s = supervisor(5, 3);
        s.start();
        scheduler.runReady();
        launcher.last().exit(1);
        scheduler.runReady();
        s.stop("shutdown", Duration.ofSeconds(10));
        scheduler.advance(Duration.ofMinutes(1));
        assertThat(s.state()).isEqualTo(InstanceState.STOPPED);
        assertThat(launcher.started).hasSize(1);
    }

    @Test
    void aGracefulRestartIsNotAFailureAndStartsAtOnce() {
        InstanceSupervisor s = supervisor(2, 3);
        s.start();
        scheduler.runReady();
        s.restart("memory 600M above max_memory 512M");
        scheduler.runReady();
        assertThat(launcher.started).hasSize(2);
        assertThat(s.state()).isEqualTo(InstanceState.RUNNING);
        assertThat(s.restarts()).isEqualTo(1);
        ProcessEvent.Stopped stopped = (ProcessEvent.Stopped) events.stream()
                .filter(e -> e instanceof ProcessEvent.Stopped).findFirst().orElseThrow();
        assertThat(stopped.outcome()).isEqualTo(ProcessEvent.Outcome.RESTARTING);
        assertThat(stopped.restartIn()).isEqualTo(Duration.ZERO);
        // max_failures is 2: a crash now is the first failure, so the memory restart counted nothing.
        launcher.last().exit(3);
        scheduler.runReady();
        assertThat(s.state()).isEqualTo(InstanceState.BACKOFF);
    }

    @Test
    void aGracefulStopWithADeadlineKillsAStubbornProcess() {
        InstanceSupervisor s = supervisor(5, 3);
        s.start();
        scheduler.runReady();
        launcher.last().obeysStop = false;
        s.stop("suspended", Duration.ofSeconds(5));
        scheduler.advance(Duration.ofSeconds(5));
        assertThat(launcher.last().killed).isEqualTo(1);
        assertThat(s.state()).isEqualTo(InstanceState.STOPPED);
        s.resume();
        scheduler.runReady();
        assertThat(s.state()).isEqualTo(InstanceState.RUNNING);
    }

    @Test
    void aFailedLaunchIsRetriedWithBackoff() {
        launcher.failNextLaunches = 1;
        InstanceSupervisor s = supervisor(5, 3);
        s.start();
        scheduler.runReady();
        assertThat(s.state()).isEqualTo(InstanceState.BACKOFF);
        assertThat(logs).extracting(LogRecord::message).anyMatch(m -> m.contains("Could not start: no such program"));
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(s.state()).isEqualTo(InstanceState.RUNNING);
    }

    @Test
    void timeoutZeroMeansNoSilenceWatchdog() {
        InstanceSupervisor s = supervisor(5, 3, Duration.ZERO, RunOptions.DEFAULT);
        s.start();
        scheduler.runReady();
        scheduler.advance(Duration.ofHours(2));
        assertThat(s.state()).isEqualTo(InstanceState.RUNNING);
        assertThat(names()).doesNotContain("process_timedout", "process_stopping");
        assertThat(launcher.last().stopAsked).isZero();
    }

    @Test
    void aSuccessfulExitCodeEndsAndStaysEndedWithOnFailure() {
        RunOptions run = new RunOptions(Autorestart.ON_FAILURE, java.util.Set.of(0, 2), StopSignal.TERM, Map.of(),
                null, null);
        InstanceSupervisor s = supervisor(5, 3, Duration.ofSeconds(10), run);
        s.start();
        scheduler.runReady();
        launcher.last().exit(2);
        scheduler.runReady();
        assertThat(s.state()).isEqualTo(InstanceState.ENDED);
        assertThat(s.lastTransition().reason()).isEqualTo("Ended with exit code 2 (a success: exit_codes)");
        assertThat(s.crashes()).isZero();
        scheduler.advance(Duration.ofMinutes(5));
        assertThat(launcher.started).hasSize(1);
    }

    @Test
    void alwaysStartsASuccessAgain() {
        RunOptions run = new RunOptions(Autorestart.ALWAYS, java.util.Set.of(0), StopSignal.TERM, Map.of(), null, null);
        InstanceSupervisor s = supervisor(5, 3, Duration.ofSeconds(10), run);
        s.start();
        scheduler.runReady();
        launcher.last().exit(0);
        scheduler.runReady();
        assertThat(s.state()).isEqualTo(InstanceState.BACKOFF);
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(s.state()).isEqualTo(InstanceState.RUNNING);
        assertThat(launcher.started).hasSize(2);
        assertThat(s.crashes()).isZero();
    }

    @Test
    void aLaunchFailingTheSameWayIsLoggedOnce() {
        launcher.failNextLaunches = 3;
        InstanceSupervisor s = supervisor(5, 3);
        s.start();
        scheduler.runReady();
        scheduler.advance(Duration.ofSeconds(1));
        scheduler.advance(Duration.ofSeconds(2));
        scheduler.advance(Duration.ofSeconds(4));
        assertThat(s.state()).isEqualTo(InstanceState.RUNNING);
        assertThat(logs).extracting(LogRecord::message).filteredOn(m -> m.startsWith("Could not start"))
                .containsExactly("Could not start: no such program");
        assertThat(s.everRan()).isTrue();
    }

    /** Regression: a feeder whose port was taken printed a stack trace on every restart until given up. */
    @Test
    void aWorkerThatSaysItCannotStartIsGivenUpAtOnceWithItsReason() {
        InstanceSupervisor s = supervisor(5, 3);
        s.start();
        scheduler.runReady();
        launcher.last().print("@@distarch cannot-start cannot listen on 127.0.0.1:9999: address already in use");
        launcher.last().exit(1);
        scheduler.runReady();
        assertThat(s.state()).isEqualTo(InstanceState.FAILED);
        assertThat(s.lastTransition().reason()).isEqualTo("cannot listen on 127.0.0.1:9999: address already in use");
        assertThat(logs).extracting(LogRecord::message).containsExactly("Started (pid " + launcher.last().pid() + ")");
        scheduler.advance(Duration.ofMinutes(5));
        assertThat(launcher.started).hasSize(1);
    }

    @Test
    void protocolLinesSetLevelsAndPingsLogNothing() {
        InstanceSupervisor s = supervisor(5, 3);
        s.start();
        scheduler.runReady();
        launcher.last().print("@@distarch log warn disk almost full");
        launcher.last().print("@@distarch ping");
        launcher.last().print("plain");
        assertThat(logs).extracting(LogRecord::level).containsExactly(LogLevel.INFO, LogLevel.WARN, LogLevel.INFO);
        assertThat(logs).extracting(LogRecord::message).containsExactly("Started (pid " + launcher.last().pid() + ")",
                "disk almost full", "plain");
        assertThat(s.lastLine()).isEqualTo("plain");
    }

    @Test
    void aLostHostConnectionIsRetriedWithoutEverGivingUp() {
        InstanceSupervisor s = supervisor(2, 3);
        s.start();
        scheduler.runReady();
        for (int i = 1; i <= 5; i++) {
            launcher.last().lose("the session with h1 ended: h1 unreachable");
            scheduler.runReady();
            assertThat(s.state()).isEqualTo(InstanceState.BACKOFF);
            ProcessEvent.Stopped stopped = (ProcessEvent.Stopped) events.get(events.size() - 1);
            assertThat(stopped.reason()).isEqualTo("the session with h1 ended: h1 unreachable (attempt " + i + ")");
            assertThat(stopped.exit()).isNull();
            scheduler.advance(stopped.restartIn());
        }
        // max_failures is 2, yet five losses in a row never gave up: the host, not the worker, was at fault.
        assertThat(s.state()).isEqualTo(InstanceState.RUNNING);
        assertThat(s.crashes()).isZero();
    }

    @Test
    void anUnreachableHostAtLaunchBacksOffAndAPermanentProblemGivesUpAtOnce() {
        launcher.failNext(new org.distarch.launch.LaunchException(org.distarch.launch.LaunchException.Kind.UNREACHABLE,
                "cannot reach h1", null));
        InstanceSupervisor s = supervisor(5, 3);
        s.start();
        scheduler.runReady();
        assertThat(s.state()).isEqualTo(InstanceState.BACKOFF);
        launcher.failNext(new org.distarch.launch.LaunchException(org.distarch.launch.LaunchException.Kind.PERMANENT,
                "the host key of h1 is unknown or has changed", null));
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(s.state()).isEqualTo(InstanceState.FAILED);
        assertThat(s.lastTransition().reason()).isEqualTo("the host key of h1 is unknown or has changed");
        assertThat(settled).isEqualTo(1);
    }

    @Test
    void aStopWithNoGraceKillsAtOnce() {
        InstanceSupervisor s = supervisor(5, 3);
        s.start();
        scheduler.runReady();
        launcher.last().obeysStop = false;
        s.stop("suspended with --force", Duration.ZERO);
        scheduler.runReady();
        assertThat(launcher.last().killed).isEqualTo(1);
        assertThat(launcher.last().stopAsked).isZero();
        assertThat(s.state()).isEqualTo(InstanceState.STOPPED);
    }

    @Test
    void aShorterDeadlineDuringATimeoutStopKillsSooner() {
        InstanceSupervisor s = supervisor(5, 3);
        s.start();
        scheduler.runReady();
        launcher.last().obeysStop = false;
        scheduler.advance(Duration.ofSeconds(10)); // timed out: asked to stop, kill due in 5 s
        assertThat(launcher.last().stopAsked).isEqualTo(1);
        s.stop("shutdown", Duration.ofSeconds(1));
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(launcher.last().killed).isEqualTo(1);
        assertThat(launcher.last().stopAsked).isEqualTo(1);
        assertThat(s.state()).isEqualTo(InstanceState.STOPPED);
        scheduler.advance(Duration.ofMinutes(5));
        assertThat(launcher.started).hasSize(1);
    }

    @Test
    void theFeedersListeningLineGoesStraightToTheFleetNotThroughTheBus() {
        InstanceSupervisor s = supervisor(5, 3);
        s.start();
        scheduler.runReady();
        launcher.last().print("@@distarch listening 127.0.0.1:9999");
        scheduler.runReady();
        assertThat(listening).containsExactly("cmd/1/1 127.0.0.1:9999");
    }

    /**
     * Lines of one read go to the log together, but a protocol line among them still comes after the lines
     * before it and before the lines after it: the feeder's own lines, then its listening event, then the rest.
     */
    @Test
    void aListeningLineInTheMiddleOfAReadKeepsItsPlaceAmongTheLines() {
        InstanceSupervisor s = supervisor(5, 3);
        s.start();
        scheduler.runReady();
        order.clear();
        launcher.last().printTogether("bound to 9999", "@@distarch listening 127.0.0.1:9999", "serving");
        scheduler.runReady();
        assertThat(order.stream().filter(o -> !o.equals("event process_running")))
                .containsExactly("log bound to 9999", "event queue_feeder_listening", "log serving");
        assertThat(listening).containsExactly("cmd/1/1 127.0.0.1:9999");
    }

    /** Regression: an item event took a clock reading of its own, later than the read's lines after it. */
    @Test
    void theEventsOfAReadShareItsClockReadingWithItsLines() {
        InstanceSupervisor s = supervisor(5, 3);
        s.start();
        scheduler.runReady();
        events.clear();
        logs.clear();
        scheduler.tickOnEveryReading(Duration.ofMillis(7));
        launcher.last().printTogether("@@distarch item {\"state\":\"received\",\"itemId\":\"a\",\"attempt\":1}",
                "@@distarch listening 127.0.0.1:9999", "after both");
        scheduler.runReady();
        long lineAt = logs.stream().filter(r -> r.message().equals("after both")).findFirst().orElseThrow()
                .epochMillis();
        assertThat(events).filteredOn(e -> e instanceof QueueEvent).hasSize(2)
                .allSatisfy(e -> assertThat(e.time().toEpochMilli()).isEqualTo(lineAt));
    }
}
