package org.distarch.remote.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.distarch.launch.LaunchSpec;
import org.distarch.remote.protocol.RelayCodec;
import org.distarch.remote.protocol.RelayFrame;
import org.junit.jupiter.api.Test;

/** A relay in-process, spoken to frame by frame on pipes, running real local processes. */
@org.junit.jupiter.api.extension.ExtendWith(org.distarch.testing.NoStrayThreads.class)
class RelayTest {

    private final List<RelayFrame> received = new ArrayList<>();
    private final List<Session> sessions = new ArrayList<>();

    /** As sshd would once the relay is done: close its stdin, so that its reading thread ends too. */
    @org.junit.jupiter.api.AfterEach
    void closeSessions() throws java.io.IOException {
        for (Session s : sessions) {
            s.master().close();
        }
    }

    private Session open(ByteArrayOutputStream err) throws java.io.IOException {
        Session s = Session.open(err);
        sessions.add(s);
        return s;
    }

    private record Session(Writer master, BufferedReader in, CompletableFuture<Integer> exit) {
        static Session open(ByteArrayOutputStream err) throws java.io.IOException {
            PipedOutputStream toRelay = new PipedOutputStream();
            PipedInputStream relayIn = new PipedInputStream(toRelay, 1 << 16);
            PipedInputStream fromRelay = new PipedInputStream(1 << 20);
            PipedOutputStream relayOut = new PipedOutputStream(fromRelay);
            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> {
                try {
                    return Relay.run(relayIn, relayOut, new PrintStream(err, true));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            return new Session(new OutputStreamWriter(toRelay, StandardCharsets.UTF_8),
                    new BufferedReader(new InputStreamReader(fromRelay, StandardCharsets.UTF_8)), exit);
        }

        void send(RelayFrame frame) throws java.io.IOException {
            master.write(RelayCodec.encode(frame) + "\n");
            master.flush();
        }
    }

    private RelayFrame await(BufferedReader in, Predicate<RelayFrame> match) throws Exception {
        String line;
        while ((line = in.readLine()) != null) {
            RelayFrame f = RelayCodec.decode(line);
            received.add(f);
            if (match.test(f)) {
                return f;
            }
        }
        throw new AssertionError("session ended without the frame; got " + received);
    }

    private static RelayFrame.Hello hello(long deadAfterMillis) {
        return new RelayFrame.Hello(RelayFrame.VERSION, "server-1", "Remote", "RelayTest|" + System.nanoTime(),
                deadAfterMillis);
    }

    private static RelayFrame.Launch launch(int handle, String script, long grace) {
        return new RelayFrame.Launch(handle, new LaunchSpec(List.of("/bin/sh", "-c", script), null,
                Map.of("DA_ID", Integer.toString(handle)), null), grace);
    }

    @Test
    void startsProcessesStreamsTheirLinesThenTheirExitAndFinishesWhenClosed() throws Exception {
        Session s = open(new ByteArrayOutputStream());
        s.send(hello(30_000));
        await(s.in(), f -> f instanceof RelayFrame.Ready);
        s.send(launch(1, "echo hello from $DA_ID; exit 3", 2000));
        s.send(launch(2, "echo second; exec sleep 60", 2000));
        RelayFrame.Exited exited = (RelayFrame.Exited) await(s.in(), f -> f instanceof RelayFrame.Exited e && e.handle() == 1);
        assertThat(exited.code()).isEqualTo(3);
        assertThat(received).filteredOn(f -> f instanceof RelayFrame.Line l && l.handle() == 1)
                .containsExactly(new RelayFrame.Line(1, "hello from 1"));
        int started = received.indexOf(received.stream().filter(f -> f instanceof RelayFrame.Started st
                && st.handle() == 1).findFirst().orElseThrow());
        assertThat(started).isLessThan(received.indexOf(exited));
        // The second process's line may have come before the first one's exit: look at what came already first.
        if (received.stream().noneMatch(f -> f instanceof RelayFrame.Line l && l.handle() == 2)) {
            await(s.in(), f -> f instanceof RelayFrame.Line l && l.handle() == 2);
        }
        s.send(new RelayFrame.Close("test is done"));
        RelayFrame.Exited second = (RelayFrame.Exited) await(s.in(), f -> f instanceof RelayFrame.Exited e && e.handle() == 2);
        assertThat(second.signal()).isEqualTo(15);
        await(s.in(), f -> f instanceof RelayFrame.Done);
        assertThat(s.exit().get(30, TimeUnit.SECONDS)).isZero();
        assertThat(received).noneMatch(f -> f instanceof RelayFrame.Log l && l.message().startsWith("Master lost"));
    }

    @Test
    void aSignalFrameReachesTheProcessAndItsTrapRuns() throws Exception {
        Session s = open(new ByteArrayOutputStream());
        s.send(hello(30_000));
        await(s.in(), f -> f instanceof RelayFrame.Ready);
        s.send(launch(1, "trap 'echo got USR1' USR1; echo ready; while true; do sleep 0.1; done", 2000));
        await(s.in(), f -> f instanceof RelayFrame.Line l && l.text().equals("ready"));
        s.send(new RelayFrame.Signal(1, "USR1"));
        await(s.in(), f -> f instanceof RelayFrame.Line l && l.text().equals("got USR1"));
        s.send(new RelayFrame.Close("done"));
        await(s.in(), f -> f instanceof RelayFrame.Done);
        assertThat(s.exit().get(30, TimeUnit.SECONDS)).isZero();
    }

    @Test
    void aLaunchThatCannotStartIsReportedFailed() throws Exception {
        Session s = open(new ByteArrayOutputStream());
        s.send(hello(30_000));
        await(s.in(), f -> f instanceof RelayFrame.Ready);
        s.send(new RelayFrame.Launch(7, new LaunchSpec(List.of("/no/such/program"), null, Map.of(), null), 1000));
        RelayFrame.Failed failed = (RelayFrame.Failed) await(s.in(), f -> f instanceof RelayFrame.Failed);
        assertThat(failed.handle()).isEqualTo(7);
        assertThat(failed.message()).contains("/no/such/program");
        s.send(new RelayFrame.Close("done"));
        await(s.in(), f -> f instanceof RelayFrame.Done);
    }

    @Test
    void stopsItsProcessesWhenTheHeartbeatsStopKillingWhatIgnoresTheStopAfterItsGrace() throws Exception {
        Session s = open(new ByteArrayOutputStream());
        s.send(hello(1_500));
        await(s.in(), f -> f instanceof RelayFrame.Ready);
        s.send(launch(1, "trap '' TERM; echo stubborn; while :; do sleep 0.1; done", 1000));
        long pid = ((RelayFrame.Started) await(s.in(), f -> f instanceof RelayFrame.Started)).pid();
        // No ping is ever sent, and the session stays open, as in a network cut.
        RelayFrame.Log lost = (RelayFrame.Log) await(s.in(),
                f -> f instanceof RelayFrame.Log l && l.message().startsWith("Master lost"));
        assertThat(lost.message()).contains("no heartbeat from the master");
        RelayFrame.Exited exit = (RelayFrame.Exited) await(s.in(), f -> f instanceof RelayFrame.Exited);
        assertThat(exit.signal()).isEqualTo(9);
        await(s.in(), f -> f instanceof RelayFrame.Done);
        assertThat(s.exit().get(30, TimeUnit.SECONDS)).isZero();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }

    /** A flooding process's lines come many to a frame (version 4), every one, in order. */
    @Test
    void aFloodingProcessesLinesArriveBatchedCompleteAndInOrder() throws Exception {
        Session s = open(new ByteArrayOutputStream());
        s.send(hello(30_000));
        await(s.in(), f -> f instanceof RelayFrame.Ready);
        s.send(launch(1, "seq 1 200000", 2000));
        await(s.in(), f -> f instanceof RelayFrame.Exited);
        List<String> texts = new ArrayList<>();
        for (RelayFrame f : received) {
            if (f instanceof RelayFrame.Line l) {
                texts.add(l.text());
            } else if (f instanceof RelayFrame.Lines l) {
                texts.addAll(l.texts());
            }
        }
        assertThat(texts).hasSize(200_000);
        for (int i = 0; i < texts.size(); i++) {
            if (!texts.get(i).equals(Integer.toString(i + 1))) {
                throw new AssertionError("line " + (i + 1) + " is " + texts.get(i));
            }
        }
        assertThat(received).filteredOn(f -> f instanceof RelayFrame.Lines).isNotEmpty();
        // seq prints at once, maybe before the launcher reports the launch: started still comes first.
        int started = received.indexOf(received.stream().filter(f -> f instanceof RelayFrame.Started).findFirst()
                .orElseThrow());
        int firstLine = received.indexOf(received.stream().filter(f -> f instanceof RelayFrame.Line
                || f instanceof RelayFrame.Lines).findFirst().orElseThrow());
        assertThat(started).isLessThan(firstLine);
        s.send(new RelayFrame.Close("done"));
        await(s.in(), f -> f instanceof RelayFrame.Done);
    }

    /** A master of version 3 (the oldest served) reads only line frames, so it gets nothing else. */
    @Test
    void aMasterOfVersion3IsServedWithOneFramePerLine() throws Exception {
        Session s = open(new ByteArrayOutputStream());
        s.send(new RelayFrame.Hello(3, "server-1", "Remote", "RelayTest|" + System.nanoTime(), 30_000));
        await(s.in(), f -> f instanceof RelayFrame.Ready);
        s.send(launch(1, "seq 1 20000", 2000));
        await(s.in(), f -> f instanceof RelayFrame.Exited);
        assertThat(received).filteredOn(f -> f instanceof RelayFrame.Line).hasSize(20_000);
        assertThat(received).noneMatch(f -> f instanceof RelayFrame.Lines);
        s.send(new RelayFrame.Close("done"));
        await(s.in(), f -> f instanceof RelayFrame.Done);
    }

    @Test
    void aMasterOfAnotherProtocolVersionIsRefusedWithASentence() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Session s = open(err);
        s.send(new RelayFrame.Hello(1, "server-1", "Remote", "k", 5000));
        assertThat(s.exit().get(30, TimeUnit.SECONDS)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("relay protocol 1", "same distarch version");
    }
}
