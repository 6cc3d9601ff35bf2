package org.distarch.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.distarch.config.LogsConfig;
import org.distarch.event.ProcessIdentity;
import org.distarch.event.ProcessRole;
import org.distarch.worker.protocol.LogLevel;
import org.junit.jupiter.api.Test;

class ProcessLogsTest {

    private final ProcessLogs logs = new ProcessLogs();

    private static ProcessIdentity process(int id, String group, int groupId) {
        return new ProcessIdentity(id, groupId, 2, group, "localhost", "cmd", ProcessRole.WORKER);
    }

    private static LogsConfig limits(int lines, long bytes) {
        return new LogsConfig("info", "warn", lines, bytes, null, 1 << 20, 1);
    }

    private static List<String> texts(List<LogLine> lines) {
        return lines.stream().map(LogLine::text).toList();
    }

    @Test
    void keepsTheLastLinesOfEachProcessUpToItsLineLimit() {
        ProcessLog a = logs.open(process(1, "A", 1), limits(3, 1 << 20));
        for (int i = 1; i <= 5; i++) {
            a.line(LogLine.Origin.STDOUT, LogLevel.INFO, i, "line " + i);
        }
        assertThat(texts(logs.tail(LogSelector.process(1), 0, 100))).containsExactly("line 3", "line 4", "line 5");
        assertThat(texts(logs.tail(LogSelector.process(1), 0, 2))).containsExactly("line 4", "line 5");
    }

    @Test
    void theByteLimitEvictsTheOldestLinesToo() {
        long perLine = ProcessLogs.LINE_OVERHEAD_BYTES + 2 * 10; // "0123456789"
        ProcessLog a = logs.open(process(1, "A", 1), limits(1000, perLine * 2));
        for (int i = 0; i < 5; i++) {
            a.line(LogLine.Origin.STDOUT, LogLevel.INFO, i, "012345678" + i);
        }
        assertThat(texts(logs.tail(LogSelector.all(), 0, 100))).containsExactly("0123456783", "0123456784");
    }

    @Test
    void aLongLineIsCutWithAMarkerAndNeverSplitsASurrogatePair() {
        ProcessLog a = logs.open(process(1, "A", 1), LogsConfig.DEFAULT);
        String emoji = "\uD83D\uDE00";
        String text = "x".repeat(ProcessLogs.MAX_LINE_CHARS - 1) + emoji + "tail";
        a.line(LogLine.Origin.STDERR, LogLevel.WARN, 1, text);
        String kept = logs.tail(LogSelector.all(), 0, 1).get(0).text();
        assertThat(kept).startsWith("x".repeat(ProcessLogs.MAX_LINE_CHARS - 1) + " [cut: ")
                .endsWith(" [cut: 6 more characters]"); // the emoji and "tail"
    }

    @Test
    void sequenceNumbersRiseAcrossProcessesAndLetAReaderResume() {
        ProcessLog a = logs.open(process(1, "A", 1), LogsConfig.DEFAULT);
        ProcessLog b = logs.open(process(2, "B", 1), LogsConfig.DEFAULT);
        a.line(LogLine.Origin.STDOUT, LogLevel.INFO, 1, "a1");
        b.line(LogLine.Origin.STDERR, LogLevel.WARN, 2, "b1");
        a.line(LogLine.Origin.STDOUT, LogLevel.INFO, 3, "a2");
        List<LogLine> all = logs.tail(LogSelector.all(), 0, 10);
        assertThat(texts(all)).containsExactly("a1", "b1", "a2");
        assertThat(all).extracting(LogLine::seq).isSorted().doesNotHaveDuplicates();
        long seen = all.get(1).seq();
        assertThat(texts(logs.tail(LogSelector.all(), seen, 10))).containsExactly("a2");
        assertThat(texts(logs.tail(LogSelector.group("B"), 0, 10))).containsExactly("b1");
        assertThat(all.get(1).origin()).isEqualTo(LogLine.Origin.STDERR);
        assertThat(all.get(1).level()).isEqualTo(LogLevel.WARN);
    }

    @Test
    void aRestartUnderTheSameIdAppendsAndARemovedProcessIsForgotten() {
        logs.open(process(1, "A", 1), LogsConfig.DEFAULT).line(LogLine.Origin.STDOUT, LogLevel.INFO, 1, "first run");
        ProcessLog again = logs.open(process(1, "A", 1), LogsConfig.DEFAULT);
        again.marker(LogLevel.INFO, 2, "Starting again (restart 1)");
        again.line(LogLine.Origin.STDOUT, LogLevel.INFO, 3, "second run");
        assertThat(texts(logs.tail(LogSelector.process(1), 0, 10)))
                .containsExactly("first run", "Starting again (restart 1)", "second run");
        logs.remove(1);
        assertThat(logs.tail(LogSelector.all(), 0, 10)).isEmpty();
        assertThat(logs.resolve("1")).isEmpty();
        again.line(LogLine.Origin.STDOUT, LogLevel.INFO, 4, "late line of the removed process");
        assertThat(logs.tail(LogSelector.all(), 0, 10)).isEmpty();
    }

    @Test
    void anOperatorNamesAProcessByIdOrGroupSlashGroupId() {
        logs.open(process(3, "Web Workers", 2), LogsConfig.DEFAULT);
        assertThat(logs.resolve("3")).contains(3);
        assertThat(logs.resolve("Web Workers/2")).contains(3);
        assertThat(logs.resolve("Web Workers/1")).isEmpty();
        assertThat(logs.resolve("4")).isEmpty();
        assertThat(logs.resolve("")).isEmpty();
        assertThat(logs.resolve("99999999999999999999")).isEmpty();
        assertThat(logs.resolve("x/99999999999999999999")).isEmpty();
    }

    @Test
    void aFollowerGetsTheBacklogThenEveryNewLineOnceAndIsWokenOnlyWhenItHadDrained() {
        ProcessLog a = logs.open(process(1, "A", 1), LogsConfig.DEFAULT);
        a.line(LogLine.Origin.STDOUT, LogLevel.INFO, 1, "old");
        AtomicInteger wakeups = new AtomicInteger();
        ProcessLogs.Follow f = logs.follow(LogSelector.process(1), 0, 10, 100, wakeups::incrementAndGet);
        assertThat(texts(f.backlog())).containsExactly("old");
        a.line(LogLine.Origin.STDOUT, LogLevel.INFO, 2, "new 1");
        a.line(LogLine.Origin.STDOUT, LogLevel.INFO, 3, "new 2");
        assertThat(wakeups).hasValue(1);
        assertThat(texts(f.live().poll(10))).containsExactly("new 1", "new 2");
        a.line(LogLine.Origin.STDOUT, LogLevel.INFO, 4, "new 3");
        assertThat(wakeups).hasValue(2);
        assertThat(texts(f.live().poll(10))).containsExactly("new 3");
        f.live().close();
        a.line(LogLine.Origin.STDOUT, LogLevel.INFO, 5, "after close");
        assertThat(f.live().poll(10)).isEmpty();
        assertThat(wakeups).hasValue(2);
    }

    /** A read's lines come as one batch: kept in order with their own levels and numbers, one wake-up for all. */
    @Test
    void aBatchOfLinesIsKeptInOrderWithItsLevelsAndWakesAFollowerOnce() {
        ProcessLog a = logs.open(process(1, "A", 1), LogsConfig.DEFAULT);
        AtomicInteger wakeups = new AtomicInteger();
        ProcessLogs.Follow f = logs.follow(LogSelector.process(1), 0, 10, 100, wakeups::incrementAndGet);
        a.lines(LogLine.Origin.STDOUT, List.of(LogLevel.INFO, LogLevel.ERROR, LogLevel.INFO), 7,
                List.of("one", "two", "three"));
        assertThat(wakeups).hasValue(1);
        List<LogLine> live = f.live().poll(10);
        assertThat(texts(live)).containsExactly("one", "two", "three");
        assertThat(live).extracting(LogLine::level).containsExactly(LogLevel.INFO, LogLevel.ERROR, LogLevel.INFO);
        assertThat(live).extracting(LogLine::epochMillis).containsOnly(7L);
        assertThat(live.get(2).seq() - live.get(0).seq()).isEqualTo(2);
        assertThat(texts(logs.tail(LogSelector.process(1), 0, 10))).containsExactly("one", "two", "three");
    }

    @Test
    void aSubscriberThatDoesNotReadDropsAndCountsInsteadOfHoldingAnyoneUp() {
        ProcessLog a = logs.open(process(1, "A", 1), LogsConfig.DEFAULT);
        ProcessLog b = logs.open(process(2, "B", 1), LogsConfig.DEFAULT);
        Subscription slow = logs.follow(LogSelector.group("A"), 0, 0, 3, () -> { }).live();
        for (int i = 0; i < 10; i++) {
            a.line(LogLine.Origin.STDOUT, LogLevel.INFO, i, "a" + i);
            b.line(LogLine.Origin.STDOUT, LogLevel.INFO, i, "b" + i);
        }
        assertThat(slow.dropped()).isEqualTo(7);
        assertThat(texts(slow.poll(100))).containsExactly("a0", "a1", "a2");
        assertThat(logs.tail(LogSelector.all(), 0, 100)).hasSize(20); // the buffer kept everything
    }

    @Test
    void aZeroLineBufferKeepsNothingButFollowersStillSeeLines() {
        ProcessLog a = logs.open(process(1, "A", 1), limits(0, 1 << 20));
        Subscription s = logs.follow(LogSelector.all(), 0, 10, 10, () -> { }).live();
        a.line(LogLine.Origin.STDOUT, LogLevel.INFO, 1, "passing");
        assertThat(logs.tail(LogSelector.all(), 0, 10)).isEmpty();
        assertThat(texts(s.poll(10))).containsExactly("passing");
    }

    @Test
    void fileNamesCannotLeaveTheDirectory() {
        assertThat(ProcessLogs.fileName(process(1, "../etc/x", 2))).isEqualTo("_.._etc_x-2.log");
        assertThat(ProcessLogs.fileName(process(1, "Web Workers", 1))).isEqualTo("Web_Workers-1.log");
        assertThat(ProcessLogs.fileName(process(1, ".hidden", 1))).isEqualTo("_.hidden-1.log");
    }
}
