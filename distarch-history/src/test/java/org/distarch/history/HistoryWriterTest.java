package org.distarch.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.distarch.event.ExitStatus;
import org.distarch.event.MasterEvent;
import org.distarch.event.ProcessEvent;
import org.distarch.event.ProcessIdentity;
import org.distarch.event.ProcessRole;
import org.distarch.event.QueueEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryWriterTest {

    static final Instant T0 = Instant.parse("2026-11-28T04:10:00Z");
    static final ProcessIdentity FLAKY = new ProcessIdentity(3, 1, 2, "Flaky", "localhost", "demo:flaky",
            ProcessRole.WORKER);
    static final ProcessIdentity FEEDER = new ProcessIdentity(5, 1, 3, "Orders", "localhost", "orders",
            ProcessRole.FEEDER);

    @TempDir
    Path dir;

    final List<String> warnings = new CopyOnWriteArrayList<>();
    final List<String> infos = new CopyOnWriteArrayList<>();

    HistoryWriter writer(HistoryOptions options, int capacity) {
        var s = HistoryWriter.Settings.DEFAULTS;
        var settings = new HistoryWriter.Settings(capacity, 500, s.totalsInterval(), s.retentionInterval(),
                Duration.ofMillis(50), Duration.ofMillis(400), Duration.ofSeconds(20));
        return new HistoryWriter(options, RunRecord.starting(T0, "host-a", 42, "a.yaml", "test"), settings,
                Clock.systemUTC(), new HistoryWriter.Notices() {
                    @Override
                    public void warn(String message) {
                        warnings.add(message);
                    }

                    @Override
                    public void info(String message) {
                        infos.add(message);
                    }
                }).start();
    }

    @Test
    void aProcessLifeBecomesItsTransitionsAndExitsAndTheRunItsEnd() {
        HistoryOptions options = HistoryOptions.sqliteIn(dir);
        HistoryWriter writer = writer(options, 1000);
        writer.onEvent(new MasterEvent.Starting(T0, "host-a", false));
        writer.onEvent(new ProcessEvent.Created(T0.plusMillis(1), FLAKY));
        writer.onEvent(new ProcessEvent.Starting(T0.plusMillis(2), FLAKY, 1));
        writer.onEvent(new ProcessEvent.Started(T0.plusMillis(3), FLAKY, 4133));
        writer.onEvent(new ProcessEvent.Running(T0.plusMillis(4), FLAKY, "working"));
        writer.onEvent(new ProcessEvent.Stopped(T0.plusMillis(5), FLAKY, new ExitStatus(3, 0),
                ProcessEvent.Outcome.RESTARTING, "exited with exit code 3", Duration.ofSeconds(1)));
        writer.onEvent(new ProcessEvent.Starting(T0.plusMillis(6), FLAKY, 2));
        writer.onEvent(new ProcessEvent.Started(T0.plusMillis(7), FLAKY, 4140));
        writer.onEvent(new ProcessEvent.Stopping(T0.plusMillis(8), FLAKY, "master stopping"));
        writer.onEvent(new ProcessEvent.Stopped(T0.plusMillis(9), FLAKY, new ExitStatus(143, 15),
                ProcessEvent.Outcome.STOPPED, "stopped", null));
        writer.onEvent(new MasterEvent.Starting(T0.plusMillis(10), "server-1", true));
        writer.onEvent(new MasterEvent.Started(T0.plusMillis(11), "server-1", true, 2));
        writer.onEvent(new MasterEvent.Stopped(T0.plusMillis(12), "server-1", true, 0, "session closed"));
        writer.audit("alice", "http", "suspend", "Flaky", true, "suspended Flaky", T0.plusMillis(13));
        writer.onEvent(new MasterEvent.Stopped(T0.plusMillis(14), "host-a", false, 0, "every process was stopped"));
        writer.close();

        try (HistoryStore store = HistoryStore.open(options)) {
            RunRecord run = store.runs(10).get(0);
            assertThat(run.stopped()).isEqualTo(T0.plusMillis(14));
            assertThat(run.exitCode()).isZero();
            List<HistoryEntry> entries = store.query(HistoryQuery.all().run(run.id())).entries();
            assertThat(entries).filteredOn(e -> e instanceof HistoryEntry.Transition)
                    .extracting(e -> ((HistoryEntry.Transition) e).from() + ">" + ((HistoryEntry.Transition) e).to())
                    .containsExactly("STOPPING>STOPPED", "RUNNING>STOPPING", "STARTING>RUNNING", "BACKOFF>STARTING",
                            "RUNNING>BACKOFF", "STARTING>RUNNING", "CREATED>STARTING", "null>CREATED");
            assertThat(entries).filteredOn(e -> e instanceof HistoryEntry.Exit).extracting(e -> (HistoryEntry.Exit) e)
                    .extracting(x -> x.code() + "/" + x.signal() + " " + x.outcome() + " restarts " + x.restarts())
                    .containsExactly("143/15 STOPPED restarts 1", "3/0 RESTARTING restarts 0");
            assertThat(entries).filteredOn(e -> e instanceof HistoryEntry.Relay)
                    .extracting(e -> ((HistoryEntry.Relay) e).state())
                    .containsExactly("DISCONNECTED", "CONNECTED", "CONNECTING");
            assertThat(entries).filteredOn(e -> e instanceof HistoryEntry.Action).singleElement()
                    .isEqualTo(new HistoryEntry.Action(1, run.id(), T0.plusMillis(13), "alice", "http", "suspend",
                            "Flaky", true, "suspended Flaky"));
        }
        assertThat(writer.stats().dropped()).isZero();
        assertThat(warnings).isEmpty();
    }

    @Test
    void queueTotalsAreWrittenAtTheEndOfTheRun() {
        HistoryOptions options = HistoryOptions.sqliteIn(dir);
        HistoryWriter writer = writer(options, 1000);
        writer.onEvent(new QueueEvent.ItemReceived(T0, FEEDER, "a", 1, null, false));
        writer.onEvent(new QueueEvent.ItemReceived(T0, FEEDER, "a", 2, null, false));
        writer.onEvent(new QueueEvent.ItemHandled(T0, FEEDER, "a", 2, 6, null, false));
        writer.onEvent(new QueueEvent.ItemFailed(T0, FEEDER, "b", 1, "boom", 6, null, false));
        writer.onEvent(new QueueEvent.ItemHandled(T0, FEEDER, "c", 1, 6, null, false));
        assertThat(writer.wants(new MasterEvent.Running(T0, "server-1", true, 3))).as("a relay's heartbeat").isFalse();
        assertThat(writer.wants(new MasterEvent.Running(T0, "host-a", false, 3))).as("the master's own").isTrue();
        writer.onEvent(new MasterEvent.Stopped(T0.plusSeconds(1), "host-a", false, 0, "done"));
        writer.close();
        try (HistoryStore store = HistoryStore.open(options)) {
            assertThat(store.query(HistoryQuery.all()).entries()).singleElement().isEqualTo(
                    new HistoryEntry.QueueTotals(1, 1, T0.plusSeconds(1), "Orders", 2, 1, 1));
        }
    }

    @Test
    void aFloodIsWrittenInBatchesAndWhatTheQueueCannotHoldIsCountedNeverLost() {
        HistoryOptions options = HistoryOptions.sqliteIn(dir);
        HistoryWriter writer = writer(options, 2000);
        int events = 60_000;
        for (int i = 0; i < events; i++) {
            ProcessIdentity p = new ProcessIdentity(i % 50 + 1, 1, 50, "Flood", "localhost", "flood",
                    ProcessRole.WORKER);
            writer.onEvent(i % 2 == 0 ? new ProcessEvent.Starting(T0.plusMillis(i), p, i / 100 + 1)
                    : new ProcessEvent.Started(T0.plusMillis(i), p, 1000 + i));
        }
        writer.close();

        HistoryWriterStats stats = writer.stats();
        assertThat(stats.written() + stats.dropped()).isEqualTo(events);
        assertThat(stats.written()).isGreaterThanOrEqualTo(2000); // at least a full queue's worth got through
        try (HistoryStore store = HistoryStore.open(options)) {
            long rows = 0;
            HistoryQuery q = HistoryQuery.all().limit(HistoryQuery.MAX_LIMIT);
            for (HistoryPage page = store.query(q); ; page = store.query(q.before(page.next()))) {
                rows += page.entries().size();
                if (page.next() == null) {
                    break;
                }
            }
            assertThat(rows).isEqualTo(stats.written());
        }
    }

    @Test
    void aDatabaseThatCannotBeOpenedIsReportedOnceAndSupervisionEventsAreOnlyCounted() {
        // a directory where the file should be: SQLite cannot open it, every retry fails the same way
        HistoryOptions options = HistoryOptions.sqlite(dir);
        HistoryWriter writer = writer(options, 100);
        for (int i = 0; i < 1000; i++) {
            writer.onEvent(new ProcessEvent.Created(T0, FLAKY));
        }
        writer.close();
        assertThat(warnings).singleElement().asString().contains("history database jdbc:sqlite:" + dir)
                .contains("history entries are dropped");
        assertThat(writer.stats().dropped()).isEqualTo(1000);
        assertThat(writer.stats().written()).isZero();
    }
}
