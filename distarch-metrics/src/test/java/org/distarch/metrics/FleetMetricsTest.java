package org.distarch.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.distarch.config.ConfigLoader;
import org.distarch.history.HistoryWriterStats;
import org.distarch.launch.local.LocalLauncher;
import org.distarch.master.Master;
import org.distarch.master.MasterOptions;
import org.distarch.master.SelfCommand;
import org.distarch.output.LogSink;
import org.distarch.supervise.ThreadScheduler;
import org.junit.jupiter.api.Test;

/**
 * The metrics of a real fleet (real {@code sh} processes), read back from the Prometheus text: a crashing group's
 * restarts and its given-up process, a silent group's timeout, a steady group running, every worker line counted.
 */
class FleetMetricsTest {

    private static final Duration LIMIT = Duration.ofSeconds(60);

    static final String CONFIG = """
            distributed_architecture:
              groups:
                Crashy:
                  bin_path: /bin/sh
                  command: "-c 'echo one; echo two; exit 3'"
                  restart: {initial_backoff: 0.1, max_backoff: 0.1, max_failures: 3}
                  local: {instances_count: 1}
                Silent:
                  bin_path: /bin/sh
                  command: "-c 'echo hello; exec sleep 600'"
                  timeout: 5
                  stop_timeout: 5
                  local: {instances_count: 1}
                Steady:
                  bin_path: /bin/sh
                  command: "-c 'while true; do echo tick; sleep 0.1; done'"
                  local: {instances_count: 2}
            """;

    @Test
    void aRealFleetsProcessesRestartsTimeoutsAndLinesReadBackFromThePrometheusText() throws Exception {
        FleetMetrics metrics = new FleetMetrics();
        metrics.bindHistory(() -> new HistoryWriterStats(3, 100, 40, 7, false));
        LogSink quiet = r -> { };
        try (LocalLauncher launcher = new LocalLauncher(65536);
                ThreadScheduler scheduler = new ThreadScheduler(Clock.systemUTC(), Throwable::printStackTrace)) {
            Master master = Master.builder(ConfigLoader.parse(CONFIG, "t.yaml", n -> null))
                    .options(new MasterOptions(Duration.ZERO, 1, Duration.ofSeconds(300), false))
                    .launcher(launcher).scheduler(scheduler).log(metrics.countingOutput(quiet))
                    .self(new SelfCommand(List.of("java", "App"))).listener(metrics).build();
            CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> {
                try {
                    return master.run();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            Map<String, Double> m = await(metrics, s ->
                    value(s, "distarch_processes{group=\"Crashy\",state=\"failed\"}") == 1
                    && value(s, "distarch_processes{group=\"Silent\",state=\"failed\"}") == 1
                    && value(s, "distarch_processes{group=\"Steady\",state=\"running\"}") == 2
                    && value(s, "distarch_output_lines_total{group=\"Steady\"}") >= 10);

            assertThat(value(m, "distarch_processes{group=\"Crashy\",state=\"running\"}")).isZero();
            assertThat(value(m, "distarch_restarts_total{group=\"Crashy\"}")).isEqualTo(2);
            assertThat(value(m, "distarch_timeouts_total{group=\"Silent\"}")).isEqualTo(1);
            assertThat(value(m, "distarch_output_lines_total{group=\"Crashy\"}")).isEqualTo(6);
            assertThat(value(m, "distarch_output_lines_total{group=\"Silent\"}")).isEqualTo(1);
            assertThat(value(m, "distarch_history_queue_depth")).isEqualTo(3);
            assertThat(value(m, "distarch_history_written_total")).isEqualTo(40);
            assertThat(value(m, "distarch_history_dropped_total")).isEqualTo(7);
            assertThat(value(m, "jvm_threads_live_threads")).isPositive();
            assertThat(m.keySet()).anyMatch(k -> k.startsWith("jvm_memory_used_bytes{"));

            master.requestStop("test over");
            assertThat(run.get(LIMIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(1);
        } finally {
            metrics.close();
        }
    }

    /** An application's registry (as Spring Boot's actuator reads it) sees the fleet without a scrape of ours. */
    @Test
    void aBoundRegistryReadsTheFleetAsItIsAndLosesTheMetersOnClose() throws Exception {
        io.micrometer.core.instrument.simple.SimpleMeterRegistry app =
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        FleetMetrics metrics = new FleetMetrics(List.of(app));
        try (LocalLauncher launcher = new LocalLauncher(65536);
                ThreadScheduler scheduler = new ThreadScheduler(Clock.systemUTC(), Throwable::printStackTrace)) {
            Master master = Master.builder(ConfigLoader.parse("""
                    distributed_architecture:
                      groups:
                        Steady:
                          bin_path: /bin/sh
                          command: "-c 'while true; do echo tick; sleep 0.1; done'"
                          local: {instances_count: 2}
                    """, "t.yaml", n -> null))
                    .options(new MasterOptions(Duration.ZERO, 1, Duration.ofSeconds(300), false))
                    .launcher(launcher).scheduler(scheduler).log(metrics.countingOutput(r -> { }))
                    .self(new SelfCommand(List.of("java", "App"))).listener(metrics).build();
            CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> {
                try {
                    return master.run();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            long deadline = System.nanoTime() + LIMIT.toNanos();
            while (gauge(app, "Steady", "running") != 2 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(gauge(app, "Steady", "running")).isEqualTo(2);
            assertThat(gauge(app, "Steady", "failed")).isZero();
            assertThat(app.get("distarch.output.lines").tag("group", "Steady").counter().count()).isPositive();
            assertThat(app.find("jvm.threads.live").meters()).as("the application has JVM meters of its own").isEmpty();

            master.requestStop("test over");
            run.get(LIMIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            metrics.close();
            assertThat(app.getMeters()).as("every distarch meter taken out of the application's registry").isEmpty();
            assertThat(app.isClosed()).isFalse();
        } finally {
            metrics.close();
            app.close();
        }
    }

    private static double gauge(io.micrometer.core.instrument.MeterRegistry registry, String group, String state) {
        io.micrometer.core.instrument.Gauge g = registry.find("distarch.processes").tags("group", group, "state", state)
                .gauge();
        return g == null ? -1 : g.value();
    }

    @Test
    void queueItemsAndRelaySessionsCountByOutcomeAndState() {
        io.micrometer.prometheusmetrics.PrometheusMeterRegistry app = new io.micrometer.prometheusmetrics
                .PrometheusMeterRegistry(io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT);
        FleetMetrics metrics = new FleetMetrics(List.of(app));
        var feeder = new org.distarch.event.ProcessIdentity(1, 1, 3, "Orders", "localhost", "orders",
                org.distarch.event.ProcessRole.FEEDER);
        var t = java.time.Instant.now();
        metrics.onEvent(new org.distarch.event.QueueEvent.ItemReceived(t, feeder, "a", 1, null, false));
        metrics.onEvent(new org.distarch.event.QueueEvent.ItemReceived(t, feeder, "b", 1, null, false));
        metrics.onEvent(new org.distarch.event.QueueEvent.ItemReceived(t, feeder, "b", 2, null, false));
        metrics.onEvent(new org.distarch.event.QueueEvent.ItemHandled(t, feeder, "a", 1, 2, null, false));
        metrics.onEvent(new org.distarch.event.MasterEvent.Starting(t, "server-1", true));
        metrics.onEvent(new org.distarch.event.MasterEvent.Starting(t, "server-2", true));
        metrics.onEvent(new org.distarch.event.MasterEvent.Started(t, "server-2", true, 1));
        assertThat(metrics.wants(new org.distarch.event.MasterEvent.Running(t, "server-2", true, 1)))
                .as("a heartbeat counts nothing: not even queued").isFalse();
        assertThat(metrics.wants(new org.distarch.event.MasterEvent.Stopped(t, "server-2", true, 0, "lost")))
                .isTrue();
        Map<String, Double> m = parse(metrics.scrape());
        assertThat(value(m, "distarch_queue_items_total{group=\"Orders\",outcome=\"received\"}")).isEqualTo(3);
        assertThat(value(m, "distarch_queue_items_total{group=\"Orders\",outcome=\"redelivered\"}")).isEqualTo(1);
        assertThat(value(m, "distarch_queue_items_total{group=\"Orders\",outcome=\"handled\"}")).isEqualTo(1);
        assertThat(value(m, "distarch_queue_in_flight{group=\"Orders\"}")).isEqualTo(1);
        assertThat(value(m, "distarch_relay_sessions{state=\"connecting\"}")).isEqualTo(1);
        assertThat(value(m, "distarch_relay_sessions{state=\"connected\"}")).isEqualTo(1);
        assertThat(value(m, "distarch_relay_sessions{state=\"disconnected\"}")).isZero();
        Map<String, Double> inApp = parse(app.scrape());
        assertThat(value(inApp, "distarch_queue_items_total{group=\"Orders\",outcome=\"handled\"}"))
                .as("the application's registry counts the same").isEqualTo(1);
        assertThat(value(inApp, "distarch_queue_in_flight{group=\"Orders\"}")).isEqualTo(1);
        metrics.close();
        app.close();
    }

    @Test
    void theConsumersConnectedAreWhatTheFeederLastToldAndNoneOnceItStopped() {
        FleetMetrics metrics = new FleetMetrics();
        var feeder = new org.distarch.event.ProcessIdentity(1, 1, 3, "Orders", "localhost", "orders",
                org.distarch.event.ProcessRole.FEEDER);
        var t = java.time.Instant.now();
        java.util.concurrent.atomic.AtomicInteger changes = new java.util.concurrent.atomic.AtomicInteger();
        metrics.onQueueChange(changes::incrementAndGet);
        metrics.onEvent(new org.distarch.event.QueueEvent.ConsumersConnected(t, feeder, 1));
        metrics.onEvent(new org.distarch.event.QueueEvent.ConsumersConnected(t, feeder, 2));
        assertThat(metrics.queues().get(0).consumersConnected()).isEqualTo(2);
        assertThat(value(parse(metrics.scrape()), "distarch_queue_consumers_connected{group=\"Orders\"}"))
                .isEqualTo(2);
        metrics.onEvent(new org.distarch.event.ProcessEvent.Stopped(t, feeder,
                null, org.distarch.event.ProcessEvent.Outcome.RESTARTING, "killed", java.time.Duration.ofSeconds(1)));
        assertThat(metrics.queues().get(0).consumersConnected()).as("its connections ended with it").isZero();
        assertThat(changes).as("each change is told to the hook").hasValue(3);
        metrics.close();
    }

    @Test
    void queueFiguresCountEachOutcomeAndItemsPerSecondOverTheLastThirtySecondsAfterTheChangeHookHearsOfThem() {
        FleetMetrics metrics = new FleetMetrics();
        var feeder = new org.distarch.event.ProcessIdentity(1, 1, 3, "Orders", "localhost", "orders",
                org.distarch.event.ProcessRole.FEEDER);
        java.util.List<Long> seen = new java.util.ArrayList<>();
        // The hook runs after the event is counted: what it reads includes the event.
        metrics.onQueueChange(() -> seen.add(metrics.queues().get(0).received()));
        long start = 1_700_000_000_000L;
        for (int i = 0; i < 20; i++) {
            var t = java.time.Instant.ofEpochMilli(start + i * 500L); // 2 per second for 10 s
            metrics.onEvent(new org.distarch.event.QueueEvent.ItemReceived(t, feeder, "i" + i, 1, null, false));
            metrics.onEvent(i % 4 == 3 ? new org.distarch.event.QueueEvent.ItemFailed(t, feeder, "i" + i, 1, "no", 2,
                    null, false) : new org.distarch.event.QueueEvent.ItemHandled(t, feeder, "i" + i, 1, 2, null, false));
        }
        assertThat(seen).hasSize(40).startsWith(1L, 1L, 2L, 2L).endsWith(20L);
        FleetMetrics.QueueFigures q = metrics.queues(start + 9_999).get(0);
        assertThat(q.group()).isEqualTo("Orders");
        assertThat(q.handled()).isEqualTo(15);
        assertThat(q.failed()).isEqualTo(5);
        assertThat(q.inFlight()).isZero();
        assertThat(q.perSecond()).isEqualTo(2.0);
        assertThat(metrics.queues(start + 24_999).get(0).perSecond()).as("10 s of items in a 25 s old group")
                .isEqualTo(20 / 25.0);
        assertThat(metrics.queues(start + 60_000).get(0).perSecond()).as("nothing in the last 30 s").isZero();
        metrics.close();
    }

    /**
     * A read's lines reach the log as one batch: each group's lines are counted (the master's own lines not),
     * whatever their mix, and the whole batch goes on to the log in order.
     */
    @Test
    void aBatchOfLinesIsCountedByGroupAndPassedOnWhole() {
        FleetMetrics metrics = new FleetMetrics();
        List<org.distarch.output.LogRecord> passed = new java.util.ArrayList<>();
        LogSink log = new LogSink() {
            @Override
            public void write(org.distarch.output.LogRecord record) {
                passed.add(record);
            }
        };
        var a = new org.distarch.output.LogSource("A", "localhost", "a/1/1", 1, 1);
        var b = new org.distarch.output.LogSource("B", "localhost", "b/1/2", 1, 2);
        List<org.distarch.output.LogRecord> batch = new java.util.ArrayList<>();
        for (var source : java.util.Arrays.asList(a, a, b, null, a, b, b)) {
            batch.add(new org.distarch.output.LogRecord(1L, null, source,
                    "x" + batch.size(), null, "stdout"));
        }
        metrics.countingOutput(log).output(batch);
        Map<String, Double> m = parse(metrics.scrape());
        assertThat(value(m, "distarch_output_lines_total{group=\"A\"}")).isEqualTo(3);
        assertThat(value(m, "distarch_output_lines_total{group=\"B\"}")).isEqualTo(3);
        assertThat(passed).isEqualTo(batch);
        metrics.close();
    }

    private static Map<String, Double> await(FleetMetrics metrics, Predicate<Map<String, Double>> ok)
            throws InterruptedException {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        Map<String, Double> m = Map.of();
        while (System.nanoTime() < deadline) {
            m = parse(metrics.scrape());
            if (ok.test(m)) {
                return m;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("metrics not as expected within " + LIMIT + ": " + m);
    }

    static double value(Map<String, Double> m, String key) {
        return m.getOrDefault(key, -1.0);
    }

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})? (\\S+)$");

    /** The text format's samples, {@code name{labels}} (labels as rendered) to value; comments skipped. */
    static Map<String, Double> parse(String text) {
        Map<String, Double> samples = new HashMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            assertThat(m.matches()).as("a valid sample line: %s", line).isTrue();
            samples.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(m.group(3)));
        }
        return samples;
    }
}
