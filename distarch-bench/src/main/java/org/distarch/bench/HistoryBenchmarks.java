package org.distarch.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.distarch.event.ProcessEvent;
import org.distarch.event.ProcessIdentity;
import org.distarch.event.ProcessRole;
import org.distarch.history.HistoryEntry;
import org.distarch.history.HistoryOptions;
import org.distarch.history.HistoryPage;
import org.distarch.history.HistoryQuery;
import org.distarch.history.HistoryStore;
import org.distarch.history.HistoryWriter;
import org.distarch.history.RunRecord;
import org.distarch.testkit.PostgresCluster;

/**
 * The history's figures: the store's insert rate (multi-row batches of 1,000, one transaction each), the
 * writer fed events at fixed rates (how many it writes, from which rate it drops), and the rate at which a
 * flooding, crash-looping fleet (a real run-master) produces history entries.
 */
final class HistoryBenchmarks {

    private static final int[] RATES = {20_000, 50_000, 100_000, 200_000, 400_000};

    private HistoryBenchmarks() {}

    static void run(Path dir) throws Exception {
        storeRate("SQLite", HistoryOptions.sqlite(dir.resolve("bench-store.db")));
        writerRates("SQLite", dir, null);
        if (PostgresCluster.available()) {
            try (PostgresCluster pg = PostgresCluster.start()) {
                storeRate("PostgreSQL", postgres(pg));
                writerRates("PostgreSQL", dir, pg);
            }
        } else {
            System.out.println("history: PostgreSQL not installed, its figures skipped");
        }
        fleet(dir);
    }

    private static HistoryOptions postgres(PostgresCluster pg) throws Exception {
        return new HistoryOptions(pg.newDatabase(), "distarch", null, HistoryOptions.DEFAULT_RETENTION,
                HistoryOptions.DEFAULT_MAX_ROWS);
    }

    static void storeRate(String name, HistoryOptions options) {
        try (HistoryStore store = HistoryStore.open(options)) {
            long run = store.startRun(RunRecord.starting(Instant.now(), "bench", 1, null, "bench"));
            write(store, run, 20_000); // warm-up
            int rows = 300_000;
            long t0 = System.nanoTime();
            write(store, run, rows);
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("history store %s: %,d rows in batches of 1,000: %,.0f rows/s%n", name, rows,
                    rows / seconds);
        }
    }

    private static void write(HistoryStore store, long run, int rows) {
        Instant t = Instant.now();
        for (int from = 0; from < rows; from += 1000) {
            List<HistoryEntry> batch = new ArrayList<>(1000);
            for (int i = from; i < from + 1000; i++) {
                batch.add(new HistoryEntry.Transition(0, 0, t.plusMillis(i), i % 100 + 1, "Bench", i % 100 + 1,
                        "localhost", "bench/" + (i % 100 + 1) + "/1", "RUNNING", "BACKOFF",
                        "exited with exit code 1 (failure 1 of 5)"));
            }
            store.write(run, batch);
        }
    }

    /** Events offered at a fixed rate for 3 s, paced per millisecond; the writer's default settings. */
    static void writerRates(String name, Path dir, PostgresCluster pg) throws Exception {
        for (int rate : RATES) {
            HistoryOptions options = pg == null ? HistoryOptions.sqlite(dir.resolve("bench-writer-" + rate + ".db"))
                    : postgres(pg);
            HistoryWriter writer = new HistoryWriter(options, RunRecord.starting(Instant.now(), "bench", 1, null,
                    "bench"), HistoryWriter.Settings.DEFAULTS, Clock.systemUTC(), new HistoryWriter.Notices() {
                        @Override
                        public void warn(String message) {
                            System.out.println("  writer: " + message);
                        }

                        @Override
                        public void info(String message) {
                            System.out.println("  writer: " + message);
                        }
                    }).start();
            while (writer.runId() == 0) {
                Thread.onSpinWait();
            }
            int perMilli = rate / 1000;
            long offered = 0;
            long start = System.nanoTime();
            for (int ms = 0; ms < 3000; ms++) {
                for (int i = 0; i < perMilli; i++, offered++) {
                    ProcessIdentity p = new ProcessIdentity((int) (offered % 100) + 1, 1, 100, "Bench", "localhost",
                            "bench", ProcessRole.WORKER);
                    writer.onEvent(new ProcessEvent.Starting(Instant.now(), p, 2));
                }
                long due = start + (ms + 1) * 1_000_000L;
                long left = due - System.nanoTime();
                if (left > 0) {
                    LockSupport.parkNanos(left);
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            writer.close();
            var s = writer.stats();
            System.out.printf("history writer %s at %,d events/s (%,d offered in %.2f s): %,d written, %,d dropped "
                    + "(%.1f %%)%n", name, rate, offered, seconds, s.written(), s.dropped(), 100.0 * s.dropped() / offered);
        }
    }

    /**
     * A real master: 8 workers printing 2 million lines each and 16 that crash at once and restart after 50 ms, for
     * 10 s: the history entries it produced per second, and whether any were dropped (the master logs it).
     */
    static void fleet(Path dir) throws Exception {
        String yaml = """
                distributed_architecture:
                  groups:
                    Flood:
                      command: 1 2000000
                      bin_path: seq
                      local: {instances_count: 8}
                    Crash:
                      command: -c 'exit 1'
                      bin_path: /bin/sh
                      restart: {initial_backoff: 0.05, max_backoff: 0.05, max_failures: 1000000}
                      local: {instances_count: 16}
                """;
        Path config = dir.resolve("history-fleet.yaml");
        Files.writeString(config, yaml);
        Path log = dir.resolve("history-fleet.log");
        Process master = Benchmarks.master(config, List.of("--max-running-time", "10"))
                .redirectOutput(log.toFile()).start();
        master.waitFor();
        Path db = config.resolveSibling(HistoryOptions.DEFAULT_FILE);
        long rows = 0;
        Instant first = null;
        Instant last = null;
        try (HistoryStore store = HistoryStore.open(HistoryOptions.sqlite(db))) {
            long run = store.runs(1).get(0).id();
            HistoryQuery q = HistoryQuery.all().run(run).limit(HistoryQuery.MAX_LIMIT);
            for (HistoryPage page = store.query(q); ; page = store.query(q.before(page.next()))) {
                rows += page.entries().size();
                if (!page.entries().isEmpty()) {
                    last = last == null ? page.entries().get(0).time() : last;
                    first = page.entries().get(page.entries().size() - 1).time();
                }
                if (page.next() == null) {
                    break;
                }
            }
        }
        long warnings;
        try (var lines = Files.lines(log)) {
            warnings = lines.filter(l -> l.contains("istory") && (l.contains("WARN") || l.contains("dropp"))).count();
        }
        double seconds = Duration.between(first, last).toMillis() / 1000.0;
        System.out.printf("history of a flooding fleet (8 × 2,000,000 lines, 16 crash-looping workers, 10 s): %,d "
                + "entries over %.1f s = %,.0f entries/s; history warnings in the master's log: %d%n", rows, seconds,
                rows / seconds, warnings);
    }
}
