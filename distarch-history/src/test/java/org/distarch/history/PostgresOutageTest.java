package org.distarch.history;

import org.distarch.testkit.PostgresCluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.distarch.event.ProcessEvent;
import org.distarch.event.ProcessIdentity;
import org.distarch.event.ProcessRole;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL stopped under a running writer: events keep being taken at once (the listener never blocks),
 * what does not fit is counted as dropped, the outage is told once, and once the server is back the writer
 * reconnects by itself, says so with the count, and writes again.
 */
class PostgresOutageTest {

    static final ProcessIdentity P = new ProcessIdentity(1, 1, 1, "Outage", "localhost", "work", ProcessRole.WORKER);

    PostgresCluster cluster;
    final List<String> warnings = new CopyOnWriteArrayList<>();
    final List<String> infos = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        cluster = PostgresFixture.cluster();
    }

    @AfterEach
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aDatabaseDownMidRunCostsOnlyCountedEntriesAndTheWriterRecoversByItself() throws Exception {
        HistoryOptions options = new HistoryOptions(cluster.newDatabase(), "distarch", null,
                HistoryOptions.DEFAULT_RETENTION, HistoryOptions.DEFAULT_MAX_ROWS);
        var settings = new HistoryWriter.Settings(200, 100, Duration.ofMinutes(1), Duration.ofHours(1),
                Duration.ofMillis(50), Duration.ofMillis(500), Duration.ofSeconds(20));
        HistoryWriter writer = new HistoryWriter(options, RunRecord.starting(Instant.now(), "h", 1, null, "test"),
                settings, Clock.systemUTC(), new HistoryWriter.Notices() {
                    @Override
                    public void warn(String message) {
                        warnings.add(message);
                    }

                    @Override
                    public void info(String message) {
                        infos.add(message);
                    }
                }).start();
        try {
            publish(writer, 50);
            await(() -> writer.stats().written() == 50, "the first 50 entries written");

            cluster.stop();
            publish(writer, 1000); // returns at once: the listener only offers to its queue
            await(() -> writer.stats().dropped() > 0 && !warnings.isEmpty(), "drops counted, the outage told");
            assertThat(writer.stats().failing()).isTrue();
            long droppedDuringOutage = writer.stats().dropped();
            assertThat(droppedDuringOutage).isGreaterThanOrEqualTo(1000 - 200 - 100);

            cluster.up();
            await(() -> !writer.stats().failing() && !infos.isEmpty(), "the writer back on its own");
            publish(writer, 30);
            await(() -> writer.stats().written() + writer.stats().dropped() == 1080, "everything written or counted");

            assertThat(warnings).singleElement().asString().contains(options.maskedUrl());
            assertThat(infos).singleElement().asString().contains("is back").contains(droppedDuringOutage
                    + " history entries were dropped");
        } finally {
            writer.close();
        }
        try (HistoryStore store = HistoryStore.open(options)) {
            long rows = store.query(HistoryQuery.all().limit(HistoryQuery.MAX_LIMIT)).entries().size();
            assertThat(rows).isEqualTo(writer.stats().written()).isGreaterThanOrEqualTo(80);
        }
    }

    private static void publish(HistoryWriter writer, int n) {
        for (int i = 0; i < n; i++) {
            writer.onEvent(new ProcessEvent.Starting(Instant.now(), P, i + 1));
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 60 s: " + what);
            }
            Thread.sleep(20);
        }
    }
}
