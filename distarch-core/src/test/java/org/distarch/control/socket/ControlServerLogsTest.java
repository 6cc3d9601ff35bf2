package org.distarch.control.socket;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.distarch.config.LogsConfig;
import org.distarch.event.ProcessIdentity;
import org.distarch.event.ProcessRole;
import org.distarch.logs.LogLine;
import org.distarch.logs.ProcessLog;
import org.distarch.logs.ProcessLogs;
import org.distarch.worker.protocol.LogLevel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code logs} on a real {@link ControlServer} and UNIX socket, with a real {@link ProcessLogs} behind it. */
class ControlServerLogsTest {

    private static final Duration LIMIT = Duration.ofSeconds(30);
    /** Short deadlines: a follower must outlive them while it is healthy. */
    private static final ControlServer.Limits QUICK = new ControlServer.Limits(Duration.ofMillis(300),
            Duration.ofSeconds(5), 16, 16, 2);

    @TempDir
    Path dir;

    private final ProcessLogs logs = new ProcessLogs();
    private final ProcessLog worker = logs.open(new ProcessIdentity(1, 1, 2, "W", "localhost", "sh", ProcessRole.WORKER),
            LogsConfig.DEFAULT);
    private final ProcessLog other = logs.open(new ProcessIdentity(2, 1, 1, "Other", "localhost", "sh",
            ProcessRole.WORKER), LogsConfig.DEFAULT);
    private final List<Runnable> reopened = new CopyOnWriteArrayList<>();
    private ControlServer server;

    private Path socket() throws IOException {
        if (server == null) {
            server = ControlServer.start(dir.resolve("c.sock"), new FakePlane(), path -> null, QUICK, logs,
                    () -> reopened.add(() -> { }));
        }
        return server.socket();
    }

    @AfterEach
    void close() {
        if (server != null) {
            server.close();
        }
    }

    private ControlClient.LogsEnd logs(LogsRequest q, List<LogLine> into) throws IOException {
        return ControlClient.logs(socket(), ControlRequest.logs(q), LIMIT, into::add);
    }

    @Test
    void theLastLinesOfOneProcessWithStreamAndLevelThenTheEnd() throws Exception {
        for (int i = 1; i <= 8; i++) {
            worker.line(i % 2 == 0 ? LogLine.Origin.STDERR : LogLine.Origin.STDOUT,
                    i % 2 == 0 ? LogLevel.WARN : LogLevel.INFO, i, "line " + i);
            other.line(LogLine.Origin.STDOUT, LogLevel.INFO, i, "other " + i);
        }
        List<LogLine> got = new CopyOnWriteArrayList<>();
        ControlClient.LogsEnd end = logs(new LogsRequest("W/1", null, 3, false, 0), got);
        assertThat(end.answer().result().ok()).isTrue();
        assertThat(got).extracting(LogLine::text).containsExactly("line 6", "line 7", "line 8");
        assertThat(got.get(0).origin()).isEqualTo(LogLine.Origin.STDERR);
        assertThat(got.get(0).level()).isEqualTo(LogLevel.WARN);
        assertThat(end.end().reason()).isEqualTo("done");
        assertThat(end.end().lastSeq()).isEqualTo(got.get(2).seq());

        got.clear();
        logs(new LogsRequest(null, "Other", 2, false, 0), got);
        assertThat(got).extracting(LogLine::text).containsExactly("other 7", "other 8");
        got.clear();
        logs(new LogsRequest(null, null, null, false, end.end().lastSeq()), got);
        assertThat(got).extracting(LogLine::text).containsExactly("other 8"); // resumed after a sequence number
    }

    @Test
    void unknownProcessesGroupsAndBadArgumentsAreRefusedWithTheReason() throws Exception {
        assertThat(logs(new LogsRequest("9", null, 5, false, 0), List.of()).answer().result().message())
                .isEqualTo("No process \"9\" (give its id, as status shows, or group/groupId, e.g. 1 or W/1)");
        assertThat(logs(new LogsRequest(null, "Nope", 5, true, 0), List.of()).answer().result().message())
                .isEqualTo("No group named \"Nope\"; groups: W, Other");
        assertThat(logs(new LogsRequest("1", "W", 5, false, 0), List.of()).answer().result().message())
                .isEqualTo("give a process or a group, not both");
        assertThat(logs(new LogsRequest(null, null, -1, false, 0), List.of()).answer().result().message())
                .isEqualTo("lines must be between 0 and 100000 (got -1)");
        ControlResponse misplaced = ControlClient.send(socket(), new ControlRequest("stop", null, false, false, null,
                null, false, null, null, null, new LogsRequest(null, null, 1, false, 0)));
        assertThat(misplaced.result().message()).isEqualTo("\"logs\" belongs to the logs operation only; nothing was done");
    }

    @Test
    void aFollowerSeesNewLinesAsTheyComeAndOutlivesTheServersDeadlinesWhileIdle() throws Exception {
        worker.line(LogLine.Origin.STDOUT, LogLevel.INFO, 1, "before");
        List<LogLine> got = new CopyOnWriteArrayList<>();
        CompletableFuture<ControlClient.LogsEnd> follow = CompletableFuture.supplyAsync(() -> {
            try {
                return logs(new LogsRequest("1", null, 10, true, 0), got);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        await(() -> got.size() == 1);
        Thread.sleep(3 * QUICK.requestTimeout().toMillis()); // idle for longer than any request or write deadline
        worker.line(LogLine.Origin.STDERR, LogLevel.WARN, 2, "after the idle time");
        other.line(LogLine.Origin.STDOUT, LogLevel.INFO, 3, "not this process");
        await(() -> got.size() == 2);
        assertThat(got.get(1).text()).isEqualTo("after the idle time");
        assertThat(follow).isNotDone();
        server.close(); // the master stops: the follower's connection ends without an end frame
        assertThat(follow.get(LIMIT.toSeconds(), TimeUnit.SECONDS).end()).isNull();
        assertThat(got).hasSize(2);
    }

    /** A follower that stops reading: writing lines never waits on it, and it is cut off with a notice. */
    @Test
    void aFollowerThatDoesNotReadIsDroppedWithANoticeAndNeverHoldsUpTheLines() throws Exception {
        SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
        c.connect(UnixDomainSocketAddress.of(socket()));
        String request = ControlCodec.encode(ControlRequest.logs(new LogsRequest(null, null, 0, true, 0))) + "\n";
        c.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.UTF_8)));
        // The answer comes once the follower is subscribed: lines written before that would never reach it, and
        // a follower that gets nothing is never cut off (the read below would wait for ever).
        String first = readLine(c);
        assertThat(first).contains("\"ok\":true");
        String filler = "x".repeat(200);
        int total = 50_000;
        for (int i = 0; i < total; i++) {
            worker.line(LogLine.Origin.STDOUT, LogLevel.INFO, i, filler + i); // returns at once: nothing waits
        }
        assertThat(logs.tail(org.distarch.logs.LogSelector.process(1), 0, 1).get(0).text()).endsWith("" + (total - 1));
        String all = first + "\n" + java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return readAll(c);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).get(LIMIT.toSeconds(), TimeUnit.SECONDS);
        String[] frames = all.split("\n");
        String last = frames[frames.length - 1];
        assertThat(ControlCodec.logFrame(last).end().reason()).startsWith("too slow: ")
                .endsWith("lines were dropped because this reader did not keep up; follow again to go on");
        assertThat(ControlCodec.logFrame(last).end().dropped()).isPositive();
        assertThat(frames.length - 2).isLessThan(total); // what it did get, it got in order
        long previous = 0;
        for (int i = 1; i < frames.length - 1; i++) {
            long seq = ControlCodec.logFrame(frames[i]).line().seq();
            assertThat(seq).isGreaterThan(previous);
            previous = seq;
        }
        c.close();
    }

    @Test
    void reopenLogsRunsTheReopen() throws Exception {
        ControlResponse r = ControlClient.send(socket(), ControlRequest.of("reopen-logs"));
        assertThat(r.result()).isEqualTo(org.distarch.control.ControlResult.done("Reopening the log files"));
        assertThat(reopened).hasSize(1);
    }

    /** One line, read a byte at a time so that nothing after it is taken from the channel. */
    private static String readLine(SocketChannel c) throws IOException {
        java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
        ByteBuffer one = ByteBuffer.allocate(1);
        while (c.read(one) > 0) {
            if (one.get(0) == '\n') {
                return line.toString(StandardCharsets.UTF_8);
            }
            line.write(one.get(0));
            one.clear();
        }
        throw new IOException("the connection ended after " + line.size() + " bytes without a line");
    }

    private static String readAll(SocketChannel c) throws IOException {
        StringBuilder text = new StringBuilder();
        ByteBuffer b = ByteBuffer.allocate(1 << 16);
        while (c.read(b) >= 0) {
            text.append(new String(b.array(), 0, b.position(), StandardCharsets.UTF_8));
            b.clear();
        }
        return text.toString();
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + LIMIT);
            }
            Thread.sleep(10);
        }
    }
}
