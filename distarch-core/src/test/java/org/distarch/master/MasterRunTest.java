package org.distarch.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.distarch.config.ConfigLoader;
import org.distarch.config.DistarchConfig;
import org.distarch.event.DistarchEvent;
import org.distarch.event.DistarchListener;
import org.distarch.launch.Launcher;
import org.distarch.supervise.ThreadScheduler;
import org.distarch.testing.FakeLauncher;
import org.junit.jupiter.api.Test;

/** The master through its public entry, {@link Master#run()}, on real threads and the scripted fake launcher. */
@org.junit.jupiter.api.extension.ExtendWith(org.distarch.testing.NoStrayThreads.class)
class MasterRunTest {

    private static final long LIMIT_MS = 30_000;

    private static DistarchConfig config(String groups) {
        return ConfigLoader.parse("distributed_architecture:\n" + groups, "t.yaml", n -> null);
    }

    private static void waitUntil(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + LIMIT_MS;
        while (!condition.getAsBoolean() && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        assertThat(condition.getAsBoolean()).isTrue();
    }

    private static Master master(DistarchConfig config, Launcher launcher, ThreadScheduler scheduler,
            DistarchListener listener) {
        Master.Builder b = Master.builder(config).launcher(launcher).scheduler(scheduler).log(r -> { })
                .self(new SelfCommand(List.of("java", "App")));
        if (listener != null) {
            b.listener(listener);
        }
        return b.build();
    }

    @Test
    void aListenerHearsOnlyTheEventsItWantsWhileAnotherHearsThemAll() throws Exception {
        FakeLauncher launcher = FakeLauncher.scripted();
        List<DistarchEvent> masterOnly = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<DistarchEvent> everything = new java.util.concurrent.CopyOnWriteArrayList<>();
        DistarchListener choosy = new DistarchListener() {
            @Override
            public boolean wants(DistarchEvent event) {
                return event instanceof org.distarch.event.MasterEvent;
            }

            @Override
            public void onEvent(DistarchEvent event) {
                masterOnly.add(event);
            }
        };
        DistarchConfig config = config("""
                  groups:
                    A: {command: "say:hello exit:0", bin_path: fake, local: {instances_count: 2}}
                """);
        try (ThreadScheduler scheduler = new ThreadScheduler(Clock.systemUTC(), Throwable::printStackTrace)) {
            Master master = master(config, launcher, scheduler, choosy);
            master.subscribe(new DistarchListener() {
                @Override
                public void onEvent(DistarchEvent event) {
                    everything.add(event);
                }
            });
            CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> {
                try {
                    return master.run();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(run.get(LIMIT_MS, TimeUnit.MILLISECONDS)).isZero(); // both workers print and exit
            waitUntil(() -> everything.stream().anyMatch(e -> e instanceof org.distarch.event.MasterEvent.Stopped)
                    && masterOnly.stream().anyMatch(e -> e instanceof org.distarch.event.MasterEvent.Stopped));
            assertThat(everything).filteredOn(e -> e instanceof org.distarch.event.ProcessEvent.Stopped).hasSize(2);
            assertThat(masterOnly).isNotEmpty().allMatch(e -> e instanceof org.distarch.event.MasterEvent);
            assertThat(masterOnly).containsExactlyElementsOf(everything.stream()
                    .filter(e -> e instanceof org.distarch.event.MasterEvent).toList());
        }
    }

    /** Regression (one-model issue, defect 4): the feeder's listening signal travelled on the observers' bus. */
    @Test
    void aBlockedListenerNeverDelaysTheStartOfAQueueGroupsConsumers() throws Exception {
        FakeLauncher launcher = FakeLauncher.scripted();
        CountDownLatch release = new CountDownLatch(1);
        DistarchListener stuck = new DistarchListener() {
            @Override
            public void onEvent(DistarchEvent event) {
                try {
                    release.await(); // a listener that never returns, until the test ends
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        DistarchConfig config = config("""
                  queue_groups:
                    Q:
                      command: "say:@@distarch\\\\ listening\\\\ 127.0.0.1:9999"
                      bin_path: fake
                      local_feeder: {bind_to: 127.0.0.1}
                      consumers: {local: {instances_count: 2, host: 127.0.0.1}}
                """);
        try (ThreadScheduler scheduler = new ThreadScheduler(Clock.systemUTC(), Throwable::printStackTrace)) {
            Master master = master(config, launcher, scheduler, stuck);
            CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> {
                try {
                    return master.run();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            waitUntil(() -> launcher.specs.size() == 3);
            assertThat(launcher.specs.get(0).command()).containsExactly("fake", "say:@@distarch listening 127.0.0.1:9999");
            release.countDown();
            master.requestStop("test done");
            assertThat(run.get(LIMIT_MS, TimeUnit.MILLISECONDS)).isZero();
        }
    }

    /**
     * The seed's listeners could steer the fleet from inside an event; ours get the control plane in attached(),
     * and waiting on its answer in an event method cannot deadlock: the supervision thread never waits for them.
     */
    @Test
    void aListenerSuspendsAGroupFromAnEventWaitsForTheAnswerAndStopsTheFleet() throws Exception {
        FakeLauncher launcher = FakeLauncher.scripted();
        List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        DistarchListener steering = new DistarchListener() {
            private org.distarch.control.ControlPlane fleet;

            @Override
            public void attached(org.distarch.control.ControlPlane fleet) {
                heard.add("attached");
                this.fleet = fleet;
            }

            @Override
            public void onProcessStarted(org.distarch.event.ProcessEvent.Started e) {
                if (e.process().group().equals("A")) {
                    heard.add(fleet.suspend("A", false).join().message()); // joined on the listener's thread
                }
            }

            @Override
            public void onProcessStopped(org.distarch.event.ProcessEvent.Stopped e) {
                if (e.process().group().equals("A")) {
                    heard.add("suspended: " + fleet.status().join().suspendedGroups());
                    heard.add(fleet.stop().join().message());
                }
            }

            @Override
            public void onMasterStopped(org.distarch.event.MasterEvent.Stopped e) {
                heard.add("master_stopped: " + e.reason());
            }
        };
        DistarchConfig config = config("""
                  groups:
                    A: {command: idle, bin_path: fake, local: ~}
                    B: {command: idle, bin_path: fake, local: ~}
                """);
        try (ThreadScheduler scheduler = new ThreadScheduler(Clock.systemUTC(), Throwable::printStackTrace)) {
            Master master = master(config, launcher, scheduler, steering);
            assertThat(heard).containsExactly("attached"); // once, before any event
            CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> {
                try {
                    return master.run();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(run.get(LIMIT_MS, TimeUnit.MILLISECONDS)).isZero();
            assertThat(heard).containsExactly("attached", "Suspended group \"A\": 1 process asked to stop",
                    "suspended: [A]", "Stopping the master (grace 300s)",
                    "master_stopped: stop requested by event listener " + steering.getClass().getName());
            assertThat(launcher.started).hasSize(2);
            assertThat(launcher.started).allMatch(w -> w.stopAsked == 1);
            // Once run() is over, the handle answers at once instead of with a future that never completes.
            assertThat(master.suspend("B", false)).isCompletedExceptionally();
        }
    }

    /** Regression (one-model issue, defect 7): an exception on the scheduler thread at start left run() waiting. */
    @Test
    void anExceptionDuringStartUpEndsRunInsteadOfLeavingItWaitingForever() throws Exception {
        Launcher broken = (spec, output) -> {
            throw new IllegalStateException("a bug in a launcher");
        };
        try (ThreadScheduler scheduler = new ThreadScheduler(Clock.systemUTC(), Throwable::printStackTrace)) {
            Master master = master(config("  groups:\n    G: {command: x, bin_path: /bin/x, local: ~}\n"), broken,
                    scheduler, null);
            CompletableFuture<Void> run = CompletableFuture.runAsync(() -> {
                try {
                    master.run();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThatThrownBy(() -> run.get(LIMIT_MS, TimeUnit.MILLISECONDS)).hasRootCauseMessage("a bug in a launcher");
        }
    }

    @Test
    void remoteEntriesWithoutAWayToReachHostsAreRefusedByRun() throws Exception {
        try (ThreadScheduler scheduler = new ThreadScheduler(Clock.systemUTC(), Throwable::printStackTrace)) {
            Master master = master(config("  groups:\n    G: {command: x, remote: [{hosts: [h1]}]}\n"),
                    new FakeLauncher(), scheduler, null);
            assertThatThrownBy(master::run).isInstanceOf(UnsupportedConfigException.class)
                    .hasMessageContaining("group \"G\" has remote entries");
        }
    }

    @Test
    void theSupervisionThreadsLogWritesNeverWaitEvenWhenTheLogIsStuck() throws Exception {
        // Regression (one-model issue, defect 5): a full log queue blocked the supervision thread's writes.
        CountDownLatch readerBack = new CountDownLatch(1);
        org.distarch.output.StreamLogSink sink = new org.distarch.output.StreamLogSink(new java.io.OutputStream() {
            @Override
            public void write(int b) throws java.io.IOException {
                try {
                    readerBack.await(); // a log reader that does not read, until the end of the test
                } catch (InterruptedException e) {
                    throw new java.io.InterruptedIOException();
                }
            }
        }, org.distarch.output.LogFormat.TEXT);
        CompletableFuture<Void> offers = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < 50_000; i++) {
                sink.offer(new org.distarch.output.LogRecord(0, org.distarch.worker.protocol.LogLevel.INFO, null,
                        "line " + i, null));
            }
        });
        offers.get(LIMIT_MS, TimeUnit.MILLISECONDS); // 50,000 records past a full 8,192 queue, none waited
        assertThat(sink.dropped()).isZero();
        readerBack.countDown();
        sink.close();
    }
}
