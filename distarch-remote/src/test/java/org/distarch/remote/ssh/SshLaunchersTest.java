package org.distarch.remote.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.distarch.event.DistarchEvent;
import org.distarch.event.MasterEvent;
import org.distarch.event.ExitStatus;
import org.distarch.launch.LaunchException;
import org.distarch.launch.LaunchSpec;
import org.distarch.launch.LaunchedWorker;
import org.distarch.launch.Launcher;
import org.distarch.launch.RemoteTarget;
import org.distarch.launch.WorkerLostException;
import org.distarch.output.LogRecord;
import org.distarch.testing.ManualScheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The SSH launcher over pipes to a real relay in this JVM, its heartbeat on a manual scheduler: sessions
 * shared by launches, failures classified, lost sessions reported to the supervisor, the relay's own frames
 * kept apart from worker output.
 */
@org.junit.jupiter.api.extension.ExtendWith(org.distarch.testing.NoStrayThreads.class)
class SshLaunchersTest {

    private static final RemoteTarget H1 = new RemoteTarget("h1", null, null, 0);
    private static final long LIMIT_MS = 30_000;

    private final ManualScheduler scheduler = new ManualScheduler();
    private final PipeTransport transport = new PipeTransport();
    private final List<LogRecord> logs = new CopyOnWriteArrayList<>();
    private final List<DistarchEvent> events = new CopyOnWriteArrayList<>();
    private final SshLaunchers launchers = new SshLaunchers(transport, scheduler, logs::add, events::add);

    @AfterEach
    void close() {
        transport.cut();
        launchers.close();
    }

    private static LaunchSpec sh(String script) {
        return new LaunchSpec(List.of("/bin/sh", "-c", script), null, Map.of(), null);
    }

    private static LaunchedWorker await(java.util.concurrent.CompletionStage<LaunchedWorker> stage) throws Exception {
        return stage.toCompletableFuture().get(LIMIT_MS, TimeUnit.MILLISECONDS);
    }

    private static void waitUntil(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + LIMIT_MS;
        while (!condition.getAsBoolean() && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertThat(condition.getAsBoolean()).as("condition within %d ms", LIMIT_MS).isTrue();
    }

    private List<String> messages() {
        return logs.stream().map(r -> (r.source() == null ? "" : r.source().prefix() + " ") + r.message()).toList();
    }

    @Test
    void launchesOfOneGroupOnOneHostShareOneSessionAndWaitForTheRelay() throws Exception {
        Launcher session = launchers.forTarget("g", H1, Duration.ofSeconds(2));
        var a = session.launch(sh("echo a; exec sleep 60"), (stream, line) -> { });
        var b = session.launch(sh("echo b; exec sleep 60"), (stream, line) -> { });
        assertThat(await(a).pid()).isNotEqualTo(await(b).pid());
        assertThat(transport.opened).hasSize(1);
        assertThat(launchers.forTarget("g", H1, Duration.ofSeconds(2))).isSameAs(session);
        assertThat(launchers.forTarget("other", H1, Duration.ofSeconds(2))).isNotSameAs(session);
        assertThat(events).anyMatch(e -> e instanceof MasterEvent.Started s && s.remote() && s.host().equals("h1"));
    }

    /** Regression (one-model issue, defect 3): a session lost without the relay's done was handled beside the restart policy. */
    @Test
    void aSessionThatEndsWithoutDoneReportsItsProcessesLostToTheirSupervisor() throws Exception {
        LaunchedWorker w = await(launchers.forTarget("g", H1, Duration.ofSeconds(2)).launch(sh("exec sleep 60"), (s, l) -> { }));
        transport.cut();
        assertThatThrownBy(() -> w.exit().toCompletableFuture().get(LIMIT_MS, TimeUnit.MILLISECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(WorkerLostException.class)
                .hasMessageContaining("the session with h1 ended");
        waitUntil(() -> messages().stream().anyMatch(m -> m.startsWith("[g] [h1] [master] Session with h1 ended: ")));
        // The relay saw its stdin close and stopped the process itself: nothing runs unsupervised.
        waitUntil(() -> ProcessHandle.of(w.pid()).map(p -> !p.isAlive()).orElse(true));
    }

    /** Regression (one-model issue, defect 2): the relay's own frames counted as worker output for --timeout. */
    @Test
    void theRelaysOwnFramesNeverReachTheWorkersOutput() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        await(launchers.forTarget("g", H1, Duration.ofSeconds(2)).launch(sh("exec sleep 60"), (stream, line) -> lines.add(line)));
        for (int i = 0; i < 3; i++) {
            scheduler.advance(Duration.ofSeconds(1)); // our pings keep the relay with us
            Thread.sleep(1000);
        }
        waitUntil(() -> events.stream().filter(e -> e instanceof MasterEvent.Running r && r.remote()).count() >= 2);
        assertThat(lines).as("a silent worker stays silent, whatever its relay says").isEmpty();
    }

    @Test
    void refusedAuthenticationFailsTheLaunchAsUnreachableAndAChangedHostKeyAsPermanent() {
        transport.refuseWith = "root@h1: Permission denied (publickey).";
        var refused = launchers.forTarget("g", H1, Duration.ofSeconds(2)).launch(sh("true"), (s, l) -> { });
        assertThatThrownBy(() -> await(refused)).cause().isInstanceOf(LaunchException.class)
                .satisfies(e -> assertThat(((LaunchException) e).kind()).isEqualTo(LaunchException.Kind.UNREACHABLE))
                .hasMessageContaining("authentication refused by h1");
        transport.refuseWith = "Host key verification failed.";
        var rekeyed = launchers.forTarget("g", H1, Duration.ofSeconds(2)).launch(sh("true"), (s, l) -> { });
        assertThatThrownBy(() -> await(rekeyed)).cause().isInstanceOf(LaunchException.class)
                .satisfies(e -> assertThat(((LaunchException) e).kind()).isEqualTo(LaunchException.Kind.PERMANENT))
                .hasMessageContaining("ssh-keyscan h1");
        assertThat(messages()).anyMatch(m -> m.startsWith("[g] [h1] [master] Giving up on h1: the host key of h1"));
    }

    @Test
    void theRelayStopsItsProcessesByItselfWhenThePingsStop() throws Exception {
        // The scheduler is never advanced: no ping ever reaches the relay, as in a network cut.
        LaunchedWorker w = await(launchers.forTarget("g", H1, Duration.ofSeconds(1))
                .launch(sh("trap '' TERM; echo deaf; while :; do sleep 0.1; done"), (s, l) -> { }));
        ExitStatus exit = w.exit().toCompletableFuture().get(LIMIT_MS, TimeUnit.MILLISECONDS);
        assertThat(exit).isEqualTo(new ExitStatus(137, 9));
        assertThat(messages()).anyMatch(m -> m.contains("[master] Master lost (no heartbeat from the master"));
    }

    @Test
    void theRelayReportsCpuAndMemoryOfItsProcesses() throws Exception {
        LaunchedWorker w = await(launchers.forTarget("g", H1, Duration.ofSeconds(1)).launch(sh("exec sleep 60"), (s, l) -> { }));
        scheduler.advance(Duration.ofSeconds(1));
        waitUntil(() -> w.usage().rssBytes() > 0);
    }

    @Test
    void closeStopsWhatStillRunsAndWaitsForTheRelay() throws Exception {
        LaunchedWorker w = await(launchers.forTarget("g", H1, Duration.ofSeconds(2)).launch(sh("exec sleep 60"), (s, l) -> { }));
        launchers.close();
        assertThat(w.exit().toCompletableFuture().get(LIMIT_MS, TimeUnit.MILLISECONDS).signal()).isEqualTo(15);
        assertThat(ProcessHandle.of(w.pid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(messages()).noneMatch(m -> m.contains("Session with h1 ended"));
    }

    private org.distarch.control.RelayStatus relay() {
        assertThat(launchers.relays()).hasSize(1);
        return launchers.relays().get(0);
    }

    @Test
    void eachRelaysConnectionStateAndWhyItLastEndedAreInItsStatus() throws Exception {
        assertThat(launchers.relays()).isEmpty();
        Launcher session = launchers.forTarget("g", H1, Duration.ofSeconds(2));
        assertThat(relay().state()).isEqualTo(org.distarch.control.RelayStatus.State.IDLE);
        LaunchedWorker w = await(session.launch(sh("exec sleep 60"), (s, l) -> { }));
        waitUntil(() -> relay().state() == org.distarch.control.RelayStatus.State.CONNECTED && relay().processes() == 1);
        assertThat(relay()).satisfies(r -> {
            assertThat(r.group()).isEqualTo("g");
            assertThat(r.host()).isEqualTo("h1");
            assertThat(r.reason()).isNull();
            assertThat(r.lastHeardMillis()).isPositive();
        });

        transport.cut();
        waitUntil(() -> relay().state() == org.distarch.control.RelayStatus.State.RECONNECTING);
        assertThat(relay().reason()).contains("h1");
        assertThat(relay().failures()).isEqualTo(1);
        waitUntil(() -> ProcessHandle.of(w.pid()).map(p -> !p.isAlive()).orElse(true));

        transport.refuseWith = "root@h1: Permission denied (publickey).";
        assertThatThrownBy(() -> await(session.launch(sh("true"), (s, l) -> { }))).cause();
        assertThat(relay().state()).isEqualTo(org.distarch.control.RelayStatus.State.AUTH_REFUSED);
        assertThat(relay().reason()).contains("authentication refused by h1");

        transport.refuseWith = "Host key verification failed.";
        assertThatThrownBy(() -> await(session.launch(sh("true"), (s, l) -> { }))).cause();
        assertThat(relay().state()).isEqualTo(org.distarch.control.RelayStatus.State.UNKNOWN_HOST_KEY);
        assertThat(relay().reason()).contains("ssh-keyscan h1");
        assertThat(relay().failures()).isEqualTo(3);

        transport.refuseWith = null;
        await(session.launch(sh("exec sleep 60"), (s, l) -> { }));
        waitUntil(() -> relay().state() == org.distarch.control.RelayStatus.State.CONNECTED);
        assertThat(relay().failures()).isZero();
        assertThat(relay().reason()).isNull();
    }
}
