package org.distarch.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every history database must do, SQLite and PostgreSQL alike: each subclass gives a fresh, empty
 * database ({@link #newDatabase}).
 */
abstract class HistoryStoreContract {

    static final Instant T0 = Instant.parse("2026-11-28T04:10:00Z");

    /** Options for a new, empty database. */
    abstract HistoryOptions newDatabase() throws Exception;

    HistoryOptions options;
    HistoryStore store;

    @BeforeEach
    void open() throws Exception {
        options = newDatabase();
        store = HistoryStore.open(options);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    static HistoryEntry.Transition transition(int process, String group, Instant time, String from, String to) {
        return new HistoryEntry.Transition(0, 0, time, process, group, process, "localhost", "cmd/" + process + "/"
                + process, from, to, to.equals("STOPPING") ? "asked" : null);
    }

    static HistoryEntry.Exit exit(int process, String group, Instant time, int code, String outcome) {
        return new HistoryEntry.Exit(0, 0, time, process, group, process, "localhost", "cmd/" + process + "/" + process,
                code, 0, outcome, "exit code " + code, 2, outcome.equals("RESTARTING") ? Duration.ofMillis(1500) : null);
    }

    long newRun(Instant started) {
        return store.startRun(RunRecord.starting(started, "host-a", 4120, "config/a.yaml", "0.1.0"));
    }

    @Test
    void migratesAnEmptyDatabaseAndOpensItAgainUnchanged() {
        assertThat(store.runs(10)).isEmpty();
        assertThat(store.query(HistoryQuery.all()).entries()).isEmpty();
        long run = newRun(T0);
        store.close();
        try (HistoryStore again = HistoryStore.open(options)) {
            assertThat(again.runs(10)).extracting(RunRecord::id).containsExactly(run);
        }
    }

    @Test
    void aCurrentSchemaOpensWithoutFlywayAndAFailedMigrationStillStopsTheOpen() throws SQLException {
        assertThat(store.migrated()).isTrue();
        store.close();
        try (HistoryStore again = HistoryStore.open(options)) {
            assertThat(again.migrated()).isFalse();
            assertThat(again.runs(10)).isEmpty();
        }
        try (Connection c = DriverManager.getConnection(options.jdbcUrl(), options.user(), options.password());
                Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE distarch_history_schema SET success = " + (options.sqlite() ? "0" : "false"));
        }
        assertThatThrownBy(() -> HistoryStore.open(options)).isInstanceOf(HistoryException.class)
                .hasMessageContaining("cannot migrate its schema");
    }

    @Test
    void keepsEveryKindWithItsFieldsNewestFirst() {
        long run = newRun(T0);
        List<HistoryEntry> written = List.of(
                transition(1, "Tickers", T0.plusMillis(1), null, "CREATED"),
                exit(1, "Tickers", T0.plusMillis(2), 3, "RESTARTING"),
                new HistoryEntry.Action(0, 0, T0.plusMillis(3), "alice", "http", "suspend", "Tickers", true,
                        "suspended Tickers"),
                new HistoryEntry.Relay(0, 0, T0.plusMillis(4), "server-1", "DISCONNECTED", "connection lost"),
                new HistoryEntry.QueueTotals(0, 0, T0.plusMillis(5), "Orders", 10, 2, 1),
                new HistoryEntry.Exit(0, 0, T0.plusMillis(6), 2, "Flaky", 1, "localhost", "flaky/2/1", null, null,
                        "FAILED", "launch failed", 0, null));
        store.write(run, written);

        List<HistoryEntry> read = store.query(HistoryQuery.all()).entries();

        assertThat(read).hasSize(6);
        assertThat(read).extracting(HistoryEntry::time).isSortedAccordingTo((a, b) -> b.compareTo(a));
        assertThat(read).allSatisfy(e -> assertThat(e.run()).isEqualTo(run));
        assertThat(read).allSatisfy(e -> assertThat(e.id()).isPositive());
        List<HistoryEntry> oldestFirst = new ArrayList<>(read);
        java.util.Collections.reverse(oldestFirst);
        for (int i = 0; i < written.size(); i++) {
            assertThat(withoutIds(oldestFirst.get(i))).isEqualTo(written.get(i));
        }
    }

    @Test
    void recordsARunAndItsEnd() {
        long run = newRun(T0);
        store.endRun(run, T0.plusSeconds(60), 1, "a process was given up");
        RunRecord r = store.run(run).orElseThrow();
        assertThat(r).isEqualTo(new RunRecord(run, T0, T0.plusSeconds(60), "host-a", 4120, "config/a.yaml", "0.1.0",
                1, "a process was given up"));
    }

    @Test
    void filtersByRunProcessGroupHostKindAndTime() {
        long first = newRun(T0);
        long second = newRun(T0.plusSeconds(100));
        store.write(first, List.of(transition(1, "A", T0.plusSeconds(1), null, "CREATED"),
                transition(2, "B", T0.plusSeconds(2), null, "CREATED"),
                new HistoryEntry.Action(0, 0, T0.plusSeconds(3), "bob", "socket", "suspend", "B", true, "ok"),
                new HistoryEntry.Relay(0, 0, T0.plusSeconds(4), "server-1", "CONNECTED", null)));
        store.write(second, List.of(transition(1, "A", T0.plusSeconds(101), null, "CREATED"),
                exit(1, "A", T0.plusSeconds(102), 0, "ENDED")));

        assertThat(store.query(HistoryQuery.all().run(first)).entries()).hasSize(4);
        assertThat(store.query(HistoryQuery.all().run(second)).entries()).hasSize(2);
        assertThat(store.query(HistoryQuery.all().process(1)).entries()).hasSize(3)
                .allSatisfy(e -> assertThat(e.kind()).isIn(HistoryKind.TRANSITION, HistoryKind.EXIT));
        assertThat(store.query(HistoryQuery.all().group("B")).entries()).extracting(HistoryEntry::kind)
                .containsExactly(HistoryKind.ACTION, HistoryKind.TRANSITION);
        assertThat(store.query(HistoryQuery.all().host("server-1")).entries()).extracting(HistoryEntry::kind)
                .containsExactly(HistoryKind.RELAY);
        assertThat(store.query(HistoryQuery.all().kinds(EnumSet.of(HistoryKind.EXIT, HistoryKind.ACTION))).entries())
                .extracting(HistoryEntry::kind).containsExactly(HistoryKind.EXIT, HistoryKind.ACTION);
        assertThat(store.query(HistoryQuery.all().between(T0.plusSeconds(2), T0.plusSeconds(4))).entries())
                .extracting(e -> e.time().getEpochSecond() - T0.getEpochSecond()).containsExactly(3L, 2L);
        assertThat(store.runs(10)).extracting(RunRecord::id).containsExactly(second, first);
    }

    @Test
    void pagesThroughEntriesOfTheSameTimeExactlyOnceInOrder() {
        long run = newRun(T0);
        List<HistoryEntry> rows = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            Instant t = T0.plusMillis(i / 6); // many entries share a time, across kinds
            rows.add(i % 3 == 0 ? transition(i, "G", t, null, "CREATED")
                    : i % 3 == 1 ? exit(i, "G", t, 1, "RESTARTING")
                    : new HistoryEntry.QueueTotals(0, 0, t, "G", i, 0, 0));
        }
        store.write(run, rows);
        List<HistoryEntry> all = store.query(HistoryQuery.all().limit(1000)).entries();
        assertThat(all).hasSize(40);

        List<HistoryEntry> paged = new ArrayList<>();
        Set<String> cursors = new HashSet<>();
        HistoryQuery q = HistoryQuery.all().limit(7);
        while (true) {
            HistoryPage page = store.query(q);
            paged.addAll(page.entries());
            if (page.next() == null) {
                break;
            }
            assertThat(cursors.add(page.next())).isTrue();
            q = q.before(page.next());
        }
        assertThat(paged).isEqualTo(all);
        assertThat(cursors).hasSize(5);
    }

    @Test
    void refusesAMalformedCursorWithItsReason() {
        assertThatThrownBy(() -> HistoryQuery.all().before("12.x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("malformed page cursor \"12.x\"");
    }

    @Test
    void summarisesTheProcessesOfARun() {
        long run = newRun(T0);
        store.write(run, List.of(transition(1, "A", T0.plusMillis(1), null, "CREATED"),
                transition(1, "A", T0.plusMillis(2), "CREATED", "STARTING"),
                transition(1, "A", T0.plusMillis(3), "STARTING", "RUNNING"),
                transition(1, "A", T0.plusMillis(4), "RUNNING", "BACKOFF"),
                exit(1, "A", T0.plusMillis(4), 3, "RESTARTING"),
                transition(1, "A", T0.plusMillis(5), "BACKOFF", "STARTING"),
                transition(1, "A", T0.plusMillis(6), "STARTING", "RUNNING"),
                transition(2, "B", T0.plusMillis(7), null, "CREATED")));

        List<ProcessSummary> processes = store.processes(run);

        assertThat(processes).containsExactly(
                new ProcessSummary(run, 1, "A", 1, "localhost", "cmd/1/1", "RUNNING", T0.plusMillis(6), null, 2, 1, 3,
                        0, "exit code 3"),
                new ProcessSummary(run, 2, "B", 2, "localhost", "cmd/2/2", "CREATED", T0.plusMillis(7), null, 0, 0,
                        null, null, null));
    }

    @Test
    void retentionDropsWhatIsTooOldThenRunsLeftEmpty() {
        options = options.withRetention(Duration.ofDays(1), 1000);
        store.close();
        store = HistoryStore.open(options);
        long old = newRun(T0);
        long current = newRun(T0.plus(Duration.ofDays(2)));
        store.write(old, List.of(transition(1, "A", T0, null, "CREATED")));
        store.write(current, List.of(transition(1, "A", T0.plus(Duration.ofDays(2)), null, "CREATED")));

        long deleted = store.retain(T0.plus(Duration.ofDays(2)).plusSeconds(1), current);

        assertThat(deleted).isEqualTo(2); // the old transition, then its run
        assertThat(store.query(HistoryQuery.all()).entries()).extracting(HistoryEntry::run).containsExactly(current);
        assertThat(store.runs(10)).extracting(RunRecord::id).containsExactly(current);
    }

    @Test
    void retentionKeepsTheNewestRowsOfEachKind() {
        options = options.withRetention(Duration.ofDays(3650), 5);
        store.close();
        store = HistoryStore.open(options);
        long run = newRun(T0);
        List<HistoryEntry> rows = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            rows.add(transition(i, "A", T0.plusSeconds(i), null, "CREATED"));
            rows.add(exit(i, "A", T0.plusSeconds(i), 0, "ENDED"));
        }
        store.write(run, rows);

        store.retain(T0.plusSeconds(20), run);

        List<HistoryEntry> left = store.query(HistoryQuery.all()).entries();
        assertThat(left).hasSize(10);
        assertThat(left).filteredOn(e -> e.kind() == HistoryKind.EXIT)
                .extracting(e -> ((HistoryEntry.Exit) e).processId()).containsExactly(11, 10, 9, 8, 7);
    }

    @Test
    void aFailedBatchWritesNothingAndTheNextOneWorks() {
        long run = newRun(T0);
        HistoryEntry bad = new HistoryEntry.Relay(0, 0, T0, null, "CONNECTED", null); // host is NOT NULL
        assertThatThrownBy(() -> store.write(run, List.of(transition(1, "A", T0, null, "CREATED"), bad)))
                .isInstanceOf(HistoryException.class).hasMessageContaining("cannot write 2 entries");
        assertThat(store.query(HistoryQuery.all()).entries()).isEmpty();

        store.write(run, List.of(transition(1, "A", T0, null, "CREATED")));
        assertThat(store.query(HistoryQuery.all()).entries()).hasSize(1);
    }

    @Test
    void writesLargeBatchesAcrossSeveralStatements() {
        long run = newRun(T0);
        List<HistoryEntry> rows = new ArrayList<>();
        for (int i = 0; i < HistoryStore.ROWS_PER_STATEMENT * 3 + 17; i++) {
            rows.add(transition(i, "A", T0.plusMillis(i), null, "CREATED"));
        }
        store.write(run, rows);
        assertThat(store.query(HistoryQuery.all().limit(HistoryQuery.MAX_LIMIT)).entries()).hasSize(rows.size());
    }

    static HistoryEntry withoutIds(HistoryEntry e) {
        if (e instanceof HistoryEntry.Transition t) {
            return new HistoryEntry.Transition(0, 0, t.time(), t.processId(), t.group(), t.groupId(), t.host(),
                    t.process(), t.from(), t.to(), t.reason());
        } else if (e instanceof HistoryEntry.Exit x) {
            return new HistoryEntry.Exit(0, 0, x.time(), x.processId(), x.group(), x.groupId(), x.host(), x.process(),
                    x.code(), x.signal(), x.outcome(), x.reason(), x.restarts(), x.restartIn());
        } else if (e instanceof HistoryEntry.Action a) {
            return new HistoryEntry.Action(0, 0, a.time(), a.who(), a.via(), a.action(), a.target(), a.ok(), a.result());
        } else if (e instanceof HistoryEntry.Relay r) {
            return new HistoryEntry.Relay(0, 0, r.time(), r.host(), r.state(), r.reason());
        }
        var q = (HistoryEntry.QueueTotals) e;
        return new HistoryEntry.QueueTotals(0, 0, q.time(), q.group(), q.done(), q.failed(), q.redelivered());
    }
}
