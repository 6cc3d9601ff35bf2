package org.distarch.control.socket;

import org.distarch.control.ControlResult;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real {@link ControlServer} on a real UNIX socket, with a fake plane behind it. */
class ControlServerTest {

    @TempDir
    Path dir;

    final FakePlane plane = new FakePlane();
    final List<AutoCloseable> open = new ArrayList<>();

    ControlServer server(ControlServer.Limits limits) throws IOException {
        ControlServer s = ControlServer.start(dir.resolve("c.sock"), plane, path -> null, limits);
        open.add(s);
        return s;
    }

    ControlServer server() throws IOException {
        return server(ControlServer.Limits.DEFAULT);
    }

    SocketChannel connect(Path socket) throws IOException {
        SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
        open.add(c);
        c.connect(UnixDomainSocketAddress.of(socket));
        return c;
    }

    static void send(SocketChannel c, String text) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) {
            c.write(b);
        }
    }

    /** Everything the server writes until it closes the connection. */
    static String readAll(SocketChannel c) throws IOException {
        StringBuilder text = new StringBuilder();
        ByteBuffer b = ByteBuffer.allocate(4096);
        try {
            while (c.read(b) >= 0) {
                text.append(new String(b.array(), 0, b.position(), StandardCharsets.UTF_8));
                b.clear();
            }
        } catch (IOException e) {
            // ECONNRESET after the answer when the server closed with our bytes unread
        }
        text.append(new String(b.array(), 0, b.position(), StandardCharsets.UTF_8));
        return text.toString();
    }

    @AfterEach
    void closeAllAndLeaveNoThreads() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("distarch-control"));
    }

    /** Regression: one thread read requests with no timeout, so a client that sent nothing blocked status for everyone. */
    @Test
    void anIdleConnectedClientDoesNotDelayStatusForAnother() throws Exception {
        ControlServer s = server();
        SocketChannel idle = connect(s.socket());
        long start = System.nanoTime();
        ControlResponse response = ControlClient.send(s.socket(), ControlRequest.of("status"), Duration.ofSeconds(3));
        assertThat(response.status().pid()).isEqualTo(42);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        assertThat(idle.isOpen()).isTrue();
        assertThat(ControlClient.send(s.socket(), new ControlRequest("suspend", "A", false, false, null)).result().ok())
                .isTrue();
    }

    /** Regression: 143 of 200 simultaneous connections got EAGAIN from the default listen backlog. */
    @Test
    void twoHundredSimultaneousClientsAllGetAnAnswer() throws Exception {
        ControlServer s = server();
        List<SocketChannel> clients = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
            open.add(c);
            c.configureBlocking(false);
            assertThat(c.connect(UnixDomainSocketAddress.of(s.socket()))).as("connection %d", i).isTrue();
            clients.add(c);
        }
        for (SocketChannel c : clients) {
            c.configureBlocking(true);
            send(c, "{\"op\":\"status\"}\n");
        }
        for (SocketChannel c : clients) {
            String answer = readAll(c);
            assertThat(ControlCodec.response(answer.strip()).status()).as(answer).isNotNull();
        }
        assertThat(plane.calls).hasSize(200);
    }

    /** Regression: a client that stalled mid-request was never cut off, though the javadoc said it was. */
    @Test
    void aStalledClientIsCutOffWithAnErrorMessageOnItsSocket() throws Exception {
        ControlServer s = server(new ControlServer.Limits(Duration.ofMillis(500), Duration.ofSeconds(20), 256, 512, 2));
        SocketChannel stalled = connect(s.socket());
        send(stalled, "{\"op\":\"sto");
        long start = System.nanoTime();
        String answer = readAll(stalled);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        ControlResult result = ControlCodec.response(answer.strip()).result();
        assertThat(result.ok()).isFalse();
        assertThat(result.message()).isEqualTo("no complete request line within 0.5 s; closing the connection, nothing was done");
        assertThat(plane.calls).isEmpty();
    }

    @Test
    void connectionsBeyondTheCapAreAnsweredBusy() throws Exception {
        ControlServer s = server(new ControlServer.Limits(Duration.ofSeconds(5), Duration.ofSeconds(20), 2, 512, 2));
        connect(s.socket());
        connect(s.socket());
        Thread.sleep(200); // both accepted
        ControlResponse busy = ControlClient.send(s.socket(), ControlRequest.of("stop"), Duration.ofSeconds(3));
        assertThat(busy.result().ok()).isFalse();
        assertThat(busy.result().message()).isEqualTo("busy: 2 control connections are open (the most allowed); try again");
        assertThat(plane.calls).isEmpty();
    }

    @Test
    void aPlaneThatDoesNotAnswerGetsARefusalInTime() throws Exception {
        plane.hang = true;
        ControlServer s = server(new ControlServer.Limits(Duration.ofSeconds(5), Duration.ofMillis(300), 256, 512, 2));
        ControlResult result = ControlClient.send(s.socket(), ControlRequest.of("status"), Duration.ofSeconds(3)).result();
        assertThat(result.message()).isEqualTo("the master did not answer within 0.3 s (it may be busy or stuck)");
    }

    /** Regression: {"op":"status","op":"stop"} stopped the master (Jackson's last key wins). */
    @Test
    void duplicateKeysAreRefusedAndNothingHappens() throws Exception {
        ControlServer s = server();
        SocketChannel c = connect(s.socket());
        send(c, "{\"op\":\"status\",\"op\":\"stop\"}\n");
        ControlResult result = ControlCodec.response(readAll(c).strip()).result();
        assertThat(result.ok()).isFalse();
        assertThat(result.message()).isEqualTo("malformed ControlRequest: Duplicate field 'op'; nothing was done");
        assertThat(plane.calls).isEmpty();
    }

    @Test
    void theProcessOperationsReachThePlaneWithTheirTargetsAndStopAloneStillStopsTheMaster() throws Exception {
        ControlServer s = server();
        for (ControlRequest r : List.of(
                ControlRequest.on("start", org.distarch.control.Target.process("A", 2), false, false, null),
                ControlRequest.on("stop-processes", org.distarch.control.Target.group("A"), true, true, null),
                ControlRequest.on("restart", org.distarch.control.Target.all(), false, false, null),
                ControlRequest.on("signal", org.distarch.control.Target.host("h1"), false, false, "USR1"),
                new ControlRequest("rolling-restart", "A", false, false, null, null, false, null, 2, 1500L),
                new ControlRequest("suspend", "A", false, false, null, null, true, null, null, null),
                ControlRequest.of("stop"))) {
            assertThat(ControlClient.send(s.socket(), r).result().ok()).isTrue();
        }
        assertThat(plane.calls).containsExactly("start process A/2", "stop group \"A\" true true",
                "restart all processes", "signal USR1 host \"h1\"", "rolling A 2 PT1.5S", "suspend A false persist",
                "stop");
    }

    @Test
    void stopWithATargetIsRefusedRatherThanStoppingTheMaster() throws Exception {
        ControlServer s = server();
        ControlResult r = ControlClient.send(s.socket(), ControlRequest.on("stop",
                org.distarch.control.Target.process(1), false, false, null)).result();
        assertThat(r.ok()).isFalse();
        assertThat(r.message()).startsWith("stop stops the master and takes no target");
        ControlResult batch = ControlClient.send(s.socket(), new ControlRequest("rolling-restart", "A", false, false,
                null, null, false, null, 0, null)).result();
        assertThat(batch.message()).isEqualTo("a rolling restart's batch is at least 1 (got 0); nothing was done");
        assertThat(plane.calls).isEmpty();
    }

    @Test
    void aMisspeltModifierIsRefusedRatherThanIgnored() throws Exception {
        ControlServer s = server();
        SocketChannel c = connect(s.socket());
        send(c, "{\"op\":\"reload\",\"dry_run\":true}\n");
        ControlResult result = ControlCodec.response(readAll(c).strip()).result();
        assertThat(result.ok()).isFalse();
        assertThat(result.message()).startsWith("malformed ControlRequest: Unrecognized field \"dry_run\"");
        assertThat(plane.calls).isEmpty();
    }

    @Test
    void aRequestCutOffBeforeItsNewlineIsNotCarriedOut() throws Exception {
        ControlServer s = server();
        SocketChannel c = connect(s.socket());
        send(c, "{\"op\":\"stop\"}");
        c.shutdownOutput();
        assertThat(ControlCodec.response(readAll(c).strip()).result().message())
                .isEqualTo("the request ended without a newline; nothing was done");
        assertThat(plane.calls).isEmpty();
    }

    @Test
    void aTooLongRequestIsRefused() throws Exception {
        ControlServer s = server();
        SocketChannel c = connect(s.socket());
        send(c, "x".repeat(ControlCodec.MAX_LINE + 10));
        assertThat(ControlCodec.response(readAll(c).strip()).result().message())
                .isEqualTo("request longer than 65536 bytes; nothing was done");
        assertThat(plane.calls).isEmpty();
    }

    @Test
    void theClientGivesUpOnASocketThatNeverAnswers() throws Exception {
        Path socket = dir.resolve("mute.sock");
        try (ServerSocketChannel mute = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            mute.bind(UnixDomainSocketAddress.of(socket));
            long start = System.nanoTime();
            assertThatThrownBy(() -> ControlClient.send(socket, ControlRequest.of("status"), Duration.ofMillis(700)))
                    .isInstanceOf(IOException.class)
                    .hasMessage("no answer from the master on " + socket
                            + " within 0.7 s (it may be busy or stuck); an action sent may still take effect");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void noSocketFileSaysNoMasterRuns() {
        Path socket = dir.resolve("none.sock");
        assertThatThrownBy(() -> ControlClient.send(socket, ControlRequest.of("status")))
                .hasMessage("no master is running with control socket " + socket + " (give the same --pid as the master's)");
    }

    @Test
    void aStaleSocketFileSaysTheMasterMayHaveStopped() throws Exception {
        Path socket = dir.resolve("stale.sock");
        try (ServerSocketChannel gone = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            gone.bind(UnixDomainSocketAddress.of(socket));
        }
        assertThatThrownBy(() -> ControlClient.send(socket, ControlRequest.of("status")))
                .hasMessageStartingWith("no master answers on " + socket)
                .hasMessageEndingWith("it may have stopped and left the file behind");
    }
}
