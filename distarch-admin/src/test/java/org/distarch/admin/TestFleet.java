package org.distarch.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.distarch.admin.api.EventStream;
import org.distarch.admin.audit.AuditEntry;
import org.distarch.admin.audit.AuditSink;
import org.distarch.history.HistoryOptions;
import org.distarch.history.HistoryWriter;
import org.distarch.history.RunRecord;
import org.distarch.metrics.FleetMetrics;
import org.distarch.config.AdminConfig;
import org.distarch.config.ConfigLoader;
import org.distarch.config.DistarchConfig;
import org.distarch.master.Master;
import org.distarch.master.SelfCommand;
import org.distarch.supervise.ThreadScheduler;
import org.distarch.testing.FakeLauncher;

/**
 * A real master (supervision thread, event bus, control plane) over the scripted fake launcher, with the admin
 * server in front of it on an ephemeral loopback port: what the API tests talk to through a real HTTP client.
 */
final class TestFleet implements AutoCloseable {

    // No say: in the commands: the fake prints it inside launch, on the supervision thread, where a line waits
    // (up to 5 s) for the start it comes before to be logged.
    static final String YAML = """
            distributed_architecture:
              groups:
                A: {command: "run:helloA", bin_path: fake, local: {instances_count: 2}}
                B: {command: "run:helloB", bin_path: fake, local: {instances_count: 3}}
            """;

    final FakeLauncher launcher = FakeLauncher.scripted();
    final ThreadScheduler scheduler = new ThreadScheduler(Clock.systemUTC(), Throwable::printStackTrace);
    final List<AuditEntry> audit = new CopyOnWriteArrayList<>();
    final Master master;
    final CompletableFuture<Integer> run;
    final AdminServer server;
    final Path configFile;
    HistoryOptions historyOptions;
    HistoryWriter history;
    FleetMetrics metrics;
    /** The API's live stream, subscribed to the master's bus, on a clock the test may move. */
    final EventStream stream;
    final MovableClock streamClock = new MovableClock();
    /** How many times the API asked to reopen the log files. */
    final java.util.concurrent.atomic.AtomicInteger reopens = new java.util.concurrent.atomic.AtomicInteger();

    TestFleet(Path dir, AdminConfig admin, Map<String, String> env) throws Exception {
        this(dir, admin, env, "127.0.0.1");
    }

    TestFleet(Path dir, AdminConfig admin, Map<String, String> env, String bind) throws Exception {
        this(dir, admin, env, bind, false);
    }

    /** With {@code observed}: a real history writer (SQLite in {@code dir}) and metrics, served by the API. */
    TestFleet(Path dir, AdminConfig admin, Map<String, String> env, String bind, boolean observed) throws Exception {
        configFile = dir.resolve("fleet.yaml");
        Files.writeString(configFile, YAML);
        DistarchConfig config = ConfigLoader.load(configFile, n -> null);
        master = Master.builder(config).launcher(launcher).scheduler(scheduler).log(r -> { })
                .self(new SelfCommand(List.of("java", "App"))).build();
        stream = new EventStream(streamClock);
        master.subscribe(stream);
        AuditSink sink = audit::add;
        Insights insights = Insights.NONE;
        if (observed) {
            historyOptions = HistoryOptions.sqliteIn(dir);
            history = new HistoryWriter(historyOptions, RunRecord.starting(Instant.now(), "test-host", 1,
                    configFile.toString(), "test"), HistoryWriter.Settings.DEFAULTS, Clock.systemUTC(),
                    new HistoryWriter.Notices() {
                        @Override
                        public void warn(String message) {
                            System.err.println(message);
                        }

                        @Override
                        public void info(String message) {}
                    }).start();
            metrics = new FleetMetrics();
            metrics.bindHistory(history::stats);
            master.subscribe(history);
            master.subscribe(metrics);
            HistoryWriter writer = history;
            sink = sink.and(e -> writer.audit(e.who(), "http " + e.address(), e.action(), e.target(), e.ok(),
                    e.message(), e.time()));
            insights = new Insights(historyOptions, writer::runId, metrics);
        }
        AdminServer started;
        try {
            started = AdminServer.start(new AdminSettings(bind, 0, admin, env::get), master, this::load, stream,
                    sink, insights.withLogs(master.logs()).withReopen(reopens::incrementAndGet), Clock.systemUTC());
        } catch (AdminStartException e) {
            scheduler.close();
            closeObservers();
            throw e;
        }
        server = started;
        run = CompletableFuture.supplyAsync(() -> {
            try {
                return master.run();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        waitUntil(() -> launcher.started.size() == 5);
        // Each says its command's text once it runs (from here: see YAML), for the filters on the last output.
        for (int i = 0; i < 5; i++) {
            List<String> command = launcher.specs.get(i).command();
            launcher.started.get(i).print(command.get(command.size() - 1).substring("run:".length()));
        }
    }

    private ConfigSource.Loaded load() {
        try {
            byte[] text = Files.readAllBytes(configFile);
            return new ConfigSource.Loaded(ConfigLoader.parse(new String(text, StandardCharsets.UTF_8),
                    configFile.toString(), n -> null),
                    HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    String url() {
        return server.url();
    }

    static void waitUntil(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!condition.getAsBoolean() && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        assertThat(condition.getAsBoolean()).as("condition within 30 s").isTrue();
    }

    @Override
    public void close() throws Exception {
        try {
            master.requestStop("test done");
            run.get(30, TimeUnit.SECONDS);
        } finally {
            server.close();
            scheduler.close();
            closeObservers();
        }
    }

    private void closeObservers() {
        if (history != null) {
            history.close();
        }
        if (metrics != null) {
            metrics.close();
        }
    }
}
