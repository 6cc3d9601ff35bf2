package org.distarch.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.distarch.worker.protocol.LogLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service's log file and its reopen for rotation (logrotate's default: move the file, then SIGHUP). */
class FileLogSinkTest {

    @TempDir
    Path dir;

    private static LogRecord line(String text) {
        return new LogRecord(System.currentTimeMillis(), LogLevel.INFO, null, text, null);
    }

    private static List<String> read(Path file) throws Exception {
        return Files.readAllLines(file, StandardCharsets.UTF_8);
    }

    @Test
    void appendsToAnExistingFileAndCreatesAMissingOne() throws Exception {
        Path log = dir.resolve("master.log");
        Files.writeString(log, "earlier line\n");
        try (FileLogSink sink = FileLogSink.open(log, LogFormat.TEXT)) {
            sink.write(line("hello"));
        }
        assertThat(read(log)).hasSize(2).first().isEqualTo("earlier line");
        assertThat(read(log).get(1)).endsWith(" INFO  [master] hello");

        Path fresh = dir.resolve("fresh.log");
        try (FileLogSink sink = FileLogSink.open(fresh, LogFormat.JSON)) {
            sink.write(line("json"));
        }
        assertThat(read(fresh)).singleElement().asString().contains("\"message\":\"json\"");
    }

    @Test
    void aFileThatCannotBeOpenedFailsAtOnce() {
        Path inMissingDir = dir.resolve("no/such/dir/master.log");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> FileLogSink.open(inMissingDir, LogFormat.TEXT))
                .isInstanceOf(java.io.IOException.class).hasMessageContaining("master.log");
    }

    @Test
    void reopenAfterAMoveWritesNewLinesToANewFileAndTheMovedFileKeepsTheOldOnes() throws Exception {
        Path log = dir.resolve("master.log");
        Path moved = dir.resolve("master.log.1");
        try (FileLogSink sink = FileLogSink.open(log, LogFormat.TEXT)) {
            sink.write(line("before"));
            sink.flush();
            Files.move(log, moved);
            sink.write(line("still the old file: written before the reopen"));
            sink.reopen();
            sink.write(line("after"));
        }
        assertThat(read(moved)).hasSize(2);
        assertThat(read(moved).get(0)).endsWith("before");
        assertThat(read(moved).get(1)).endsWith("still the old file: written before the reopen");
        assertThat(read(log)).hasSize(2);
        assertThat(read(log).get(0)).endsWith("[master] Reopened the log");
        assertThat(read(log).get(1)).endsWith("after");
    }

    @Test
    void aFailedReopenKeepsWritingToTheOldFileAndSaysWhy() throws Exception {
        Path sub = Files.createDirectory(dir.resolve("logs"));
        Path log = sub.resolve("master.log");
        Path moved = dir.resolve("master.log.1");
        try (FileLogSink sink = FileLogSink.open(log, LogFormat.TEXT)) {
            sink.write(line("before"));
            sink.flush();
            Files.move(log, moved);
            Files.delete(sub);
            sink.reopen();
            sink.write(line("after"));
        }
        List<String> old = read(moved);
        assertThat(old).hasSize(3);
        assertThat(old.get(1)).contains("ERROR [master] Cannot reopen the log (")
                .endsWith("still writing to the file opened before");
        assertThat(old.get(2)).endsWith("after");
    }

    /** Regression guard for the rotation race: a flood from several threads while the file is rotated repeatedly. */
    @Test
    void noLineIsLostDuplicatedOrSplitWhileTheLogIsRotatedUnderLoad() throws Exception {
        Path log = dir.resolve("master.log");
        int threads = 4;
        int perThread = 20_000;
        AtomicInteger rotations = new AtomicInteger();
        try (FileLogSink sink = FileLogSink.open(log, LogFormat.TEXT)) {
            List<Thread> writers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                Thread w = new Thread(() -> {
                    for (int i = 0; i < perThread; i++) {
                        sink.write(line("w" + id + " n" + i + " " + "x".repeat(i % 200)));
                    }
                });
                writers.add(w);
                w.start();
            }
            while (writers.stream().anyMatch(Thread::isAlive)) {
                if (Files.exists(log)) {
                    Files.move(log, dir.resolve("master.log." + rotations.incrementAndGet()));
                    sink.reopen();
                }
                Thread.sleep(5);
            }
            for (Thread w : writers) {
                w.join();
            }
        }
        assertThat(rotations.get()).isPositive();
        Set<String> seen = new HashSet<>();
        int total = 0;
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                for (String l : read(f)) {
                    if (l.endsWith("Reopened the log")) {
                        continue;
                    }
                    assertThat(l).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  \\[master\\] w\\d n\\d+ x*");
                    String key = l.substring(l.indexOf("] ") + 2);
                    String[] parts = key.split(" ", -1);
                    assertThat(parts[2]).hasSize(Integer.parseInt(parts[1].substring(1)) % 200);
                    assertThat(seen.add(parts[0] + " " + parts[1])).as("duplicate %s", key).isTrue();
                    total++;
                }
            }
        }
        assertThat(total).isEqualTo(threads * perThread);
    }
}
