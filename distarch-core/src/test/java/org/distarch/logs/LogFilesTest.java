package org.distarch.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.distarch.config.LogsConfig;
import org.distarch.event.ProcessIdentity;
import org.distarch.event.ProcessRole;
import org.distarch.worker.protocol.LogLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per-process files on real files in a temporary directory. */
class LogFilesTest {

    @TempDir
    Path dir;

    private final List<String> notices = new CopyOnWriteArrayList<>();

    private static ProcessIdentity process(int id) {
        return new ProcessIdentity(id, id, 2, "W", "localhost", "cmd", ProcessRole.WORKER);
    }

    private LogsConfig files(long maxBytes, int backups) {
        return new LogsConfig("info", "warn", 100, 1 << 20, dir, maxBytes, backups);
    }

    @Test
    void eachProcessWritesItsOwnFileWithTimeLevelStreamAndText() throws Exception {
        try (ProcessLogs logs = new ProcessLogs(notices::add)) {
            logs.open(process(1), files(1 << 20, 2)).line(LogLine.Origin.STDERR, LogLevel.WARN, 0, "boom");
            logs.open(process(2), files(1 << 20, 2)).line(LogLine.Origin.STDOUT, LogLevel.INFO, 0, "fine");
        }
        assertThat(Files.readAllLines(dir.resolve("W-1.log"))).singleElement().asString()
                .matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} WARN  stderr boom");
        assertThat(Files.readAllLines(dir.resolve("W-2.log"))).singleElement().asString().endsWith(" INFO  stdout fine");
        assertThat(notices).isEmpty();
    }

    @Test
    void aFileRotatesAtMaxBytesKeepingBackupsNewestFirst() throws Exception {
        try (ProcessLogs logs = new ProcessLogs(notices::add)) {
            ProcessLog log = logs.open(process(1), files(200, 2));
            for (int i = 0; i < 40; i++) {
                log.line(LogLine.Origin.STDOUT, LogLevel.INFO, 0, "line %02d".formatted(i));
            }
        }
        Path file = dir.resolve("W-1.log");
        assertThat(Files.size(file)).isLessThanOrEqualTo(200);
        assertThat(Files.size(LogFileWriter.numbered(file, 1))).isLessThanOrEqualTo(200);
        assertThat(Files.size(LogFileWriter.numbered(file, 2))).isLessThanOrEqualTo(200);
        assertThat(LogFileWriter.numbered(file, 3)).doesNotExist();
        assertThat(Files.readAllLines(file)).last().asString().endsWith("line 39");
        String newest = Files.readAllLines(LogFileWriter.numbered(file, 1)).get(0);
        String older = Files.readAllLines(LogFileWriter.numbered(file, 2)).get(0);
        assertThat(older.compareTo(newest) < 0 || older.substring(older.length() - 2)
                .compareTo(newest.substring(newest.length() - 2)) < 0).isTrue();
        assertThat(Files.readAllLines(file).get(0)).doesNotEndWith("line 00"); // the oldest lines are gone
    }

    @Test
    void noBackupsStartsTheFileAfresh() throws Exception {
        try (ProcessLogs logs = new ProcessLogs(notices::add)) {
            ProcessLog log = logs.open(process(1), files(100, 0));
            for (int i = 0; i < 20; i++) {
                log.line(LogLine.Origin.STDOUT, LogLevel.INFO, 0, "line %02d".formatted(i));
            }
        }
        assertThat(Files.size(dir.resolve("W-1.log"))).isLessThanOrEqualTo(100);
        assertThat(LogFileWriter.numbered(dir.resolve("W-1.log"), 1)).doesNotExist();
    }

    @Test
    void reopeningAfterTheFileWasMovedAwayWritesANewFileAtThePath() throws Exception {
        Path file = dir.resolve("W-1.log");
        Path moved = dir.resolve("W-1.log.rotated");
        try (ProcessLogs logs = new ProcessLogs(notices::add)) {
            ProcessLog log = logs.open(process(1), files(1 << 20, 2));
            log.line(LogLine.Origin.STDOUT, LogLevel.INFO, 0, "before");
            awaitContains(file, "before");
            Files.move(file, moved);
            logs.reopenFiles();
            log.line(LogLine.Origin.STDOUT, LogLevel.INFO, 0, "after");
        }
        assertThat(Files.readAllLines(moved)).singleElement().asString().endsWith("before");
        assertThat(Files.readAllLines(file)).singleElement().asString().endsWith("after");
    }

    @Test
    void aFileThatCannotBeWrittenIsReportedOnceAndTheOthersGoOn() throws Exception {
        Files.writeString(dir.resolve("blocker"), "a file where a directory should be");
        LogsConfig broken = new LogsConfig("info", "warn", 100, 1 << 20, dir.resolve("blocker"), 1 << 20, 1);
        try (ProcessLogs logs = new ProcessLogs(notices::add)) {
            ProcessLog bad = logs.open(process(1), broken);
            ProcessLog good = logs.open(process(2), files(1 << 20, 1));
            for (int i = 0; i < 5; i++) {
                bad.line(LogLine.Origin.STDOUT, LogLevel.INFO, 0, "lost " + i);
                good.line(LogLine.Origin.STDOUT, LogLevel.INFO, 0, "kept " + i);
            }
            assertThat(logs.tail(LogSelector.process(1), 0, 10)).hasSize(5); // the buffer still has them
        }
        assertThat(notices).singleElement().asString().startsWith("Cannot write the per-process log file "
                + dir.resolve("blocker").resolve("W-1.log"));
        assertThat(Files.readAllLines(dir.resolve("W-2.log"))).hasSize(5);
    }

    private static void awaitContains(Path file, String text) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (Files.exists(file) && Files.readString(file).contains(text)) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError(file + " never got " + text);
    }

    /** Issue 15: a flood from one worker used to outrun the file's writer, which dropped 3 to 12 % of the lines. */
    @Test
    void aFloodFasterThanTheDiskIsHeldAndLosesNothing() throws Exception {
        int n = 300_000;
        try (ProcessLogs logs = new ProcessLogs(notices::add)) {
            ProcessLog log = logs.open(process(1), files(1L << 40, 0));
            for (int i = 0; i < n; i++) {
                log.line(LogLine.Origin.STDOUT, LogLevel.INFO, 0, "line " + i);
            }
        }
        List<String> lines = Files.readAllLines(dir.resolve("W-1.log"));
        assertThat(lines).hasSize(n);
        for (int i = 0; i < n; i += 9_999) {
            assertThat(lines.get(i)).endsWith(" INFO  stdout line " + i);
        }
        assertThat(notices).isEmpty();
    }

    /**
     * A writer that takes nothing (here: stuck opening a FIFO nobody reads) holds the worker's reader once, for
     * {@link LogFiles#HOLD_NANOS}; then the file drops lines, counts them and says so once the writer moves again.
     */
    @Test
    void aStuckWriterHoldsTheReaderOnceThenTheFileDropsAndSaysSo() throws Exception {
        Path fifo = dir.resolve("W-1.log");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        // The writer takes at most one file's worth before it is stuck in its open (a quick producer may fill the
        // list before the writer wakes at all): twice that and more makes the list fill again behind a stuck writer.
        int n = 2 * LogFiles.QUEUE_CAPACITY + 1_000;
        long start = System.nanoTime();
        java.util.concurrent.CompletableFuture<byte[]> read;
        try (ProcessLogs logs = new ProcessLogs(notices::add)) {
            ProcessLog log = logs.open(process(1), files(1L << 40, 0));
            log.line(LogLine.Origin.STDOUT, LogLevel.INFO, 0, "line 0");
            // Stuck before the flood: a writer that woke late would take more than 1,000 lines in its first swap,
            // and the rest would never fill the file's list (no hold, nothing dropped).
            awaitWriterOpening();
            for (int i = 1; i < n; i++) {
                log.line(LogLine.Origin.STDOUT, LogLevel.INFO, 0, "line " + i);
            }
            long heldMillis = (System.nanoTime() - start) / 1_000_000;
            // Read first, check after: a failed check must not leave the writer stuck for the rest of the JVM.
            read = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return Files.readAllBytes(fifo); // the writer's open goes through, and it writes
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            assertThat(heldMillis).as("the reader was held, then let go").isGreaterThanOrEqualTo(
                    LogFiles.HOLD_NANOS / 1_000_000).isLessThan(60_000);
        }
        String text = new String(read.get(60, java.util.concurrent.TimeUnit.SECONDS),
                java.nio.charset.StandardCharsets.UTF_8);
        // The writer took its first lines before it got stuck opening the file; a file's worth waited after them.
        java.util.regex.Matcher marker = java.util.regex.Pattern
                .compile("\\[distarch: (\\d+) lines dropped here: the disk did not keep up]").matcher(text);
        assertThat(marker.find()).as("the drop is marked in the file").isTrue();
        long dropped = Long.parseLong(marker.group(1));
        long written = text.lines().filter(l -> l.contains(" stdout line ")).count();
        assertThat(dropped).isGreaterThanOrEqualTo(1_000);
        assertThat(written + dropped).isEqualTo(n);
        assertThat(notices).anyMatch(m -> m.contains(dropped + " lines dropped"));
    }

    /**
     * A follower that starts while a worker's reader waits for room in the process's file (its writer is stuck)
     * gets that reader's lines as live ones once it goes on: they are not in its backlog, and not lost either.
     */
    @Test
    void aFollowerThatStartsWhileAReaderWaitsForTheFileGetsThatReadersLines() throws Exception {
        Path fifo = dir.resolve("W-1.log");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        java.util.concurrent.CompletableFuture<byte[]> read;
        try (ProcessLogs logs = new ProcessLogs(notices::add)) {
            ProcessLog log = logs.open(process(1), files(1L << 40, 0));
            log.line(LogLine.Origin.STDOUT, LogLevel.INFO, 0, "first");
            awaitWriterOpening();
            List<String> full = new java.util.ArrayList<>();
            for (int i = 0; i < LogFiles.QUEUE_CAPACITY; i++) {
                full.add("filler " + i);
            }
            log.lines(LogLine.Origin.STDOUT, java.util.Collections.nCopies(full.size(), LogLevel.INFO), 0, full);
            List<String> late = List.of("late 1", "late 2", "late 3");
            Thread reader = new Thread(() -> log.lines(LogLine.Origin.STDOUT,
                    java.util.Collections.nCopies(late.size(), LogLevel.INFO), 0, late));
            reader.start();
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
            while (reader.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            ProcessLogs.Follow follow = logs.follow(LogSelector.process(1), 0, 1_000, 1_000, () -> { });
            reader.join(60_000);
            read = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return Files.readAllBytes(fifo); // lets the writer go on, so the store can close
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            assertThat(follow.backlog()).extracting(LogLine::text).doesNotContainAnyElementsOf(late);
            assertThat(follow.live().poll(100)).extracting(LogLine::text).containsExactlyElementsOf(late);
        }
        read.get(60, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** Waits (bounded) until the writer thread is inside {@code Files.newOutputStream}: opening a FIFO nobody reads. */
    private static void awaitWriterOpening() throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            for (var e : Thread.getAllStackTraces().entrySet()) {
                if (e.getKey().getName().equals("distarch-logfiles") && java.util.Arrays.stream(e.getValue())
                        .anyMatch(f -> f.getClassName().equals("java.nio.file.Files")
                                && f.getMethodName().equals("newOutputStream"))) {
                    return;
                }
            }
            Thread.sleep(5);
        }
        throw new AssertionError("the log file writer did not start opening its file within 30 s");
    }
}
