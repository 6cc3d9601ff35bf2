package org.distarch.remote.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.io.Writer;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.distarch.config.RestartConfig;
import org.distarch.event.ProcessIdentity;
import org.distarch.event.ProcessRole;
import org.distarch.launch.LaunchSpec;
import org.distarch.remote.protocol.RelayCodec;
import org.distarch.remote.protocol.RelayFrame;
import org.distarch.supervise.InstancePlan;
import org.junit.jupiter.api.Test;

/** A relay in-process, on pipes instead of an SSH session, supervising real local processes. */
class RelayTest {

    private static final ProcessIdentity ONE = new ProcessIdentity(5, 1, 2, "Remote", "server-1", "sh", ProcessRole.WORKER);
    private static final ProcessIdentity TWO = new ProcessIdentity(6, 2, 2, "Remote", "server-1", "sh", ProcessRole.WORKER);

    private static InstancePlan plan(ProcessIdentity who, String script) {
        return new InstancePlan(who, new LaunchSpec(List.of("/bin/sh", "-c", script), null,
                Map.of("DA_ID", Integer.toString(who.id())), null), Duration.ofSeconds(30), Duration.ofSeconds(2),
                RestartConfig.DEFAULT, null, null);
    }

    private final List<RelayFrame> received = new ArrayList<>();

    /** A relay running in-process, with pipes where the SSH session would be. */
    private record Session(Writer master, BufferedReader in, CompletableFuture<Integer> exit) {
        static Session open() throws java.io.IOException {
            PipedOutputStream toRelay = new PipedOutputStream();
            PipedInputStream relayIn = new PipedInputStream(toRelay, 1 << 16);
            PipedInputStream fromRelay = new PipedInputStream(1 << 20);
            PipedOutputStream relayOut = new PipedOutputStream(fromRelay);
            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> {
                try {
                    return Relay.run(relayIn, relayOut, new PrintStream(System.err));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            return new Session(new OutputStreamWriter(toRelay, StandardCharsets.UTF_8),
                    new BufferedReader(new InputStreamReader(fromRelay, StandardCharsets.UTF_8)), exit);
        }
    }

    private RelayFrame awaitFrame(BufferedReader in, java.util.function.Predicate<RelayFrame> match) throws Exception {
        String line;
        while ((line = in.readLine()) != null) {
            RelayFrame f = RelayCodec.decode(line, id -> id == 5 ? ONE : id == 6 ? TWO : null);
            received.add(f);
            if (match.test(f)) {
                return f;
            }
        }
        throw new AssertionError("session ended without the frame; got " + received);
    }

    @Test
    void runsItsInstancesStreamsTheirLinesAndEventsAndStopsWhenAsked() throws Exception {
        Session session = Session.open();
        Writer master = session.master();
        CompletableFuture<Integer> exit = session.exit();
        master.write(RelayCodec.encode(new RelayFrame.Start("server-1", List.of(
                plan(ONE, "echo hello from $DA_ID; exec sleep 60"), plan(TWO, "echo second; exec sleep 60")),
                3, 10_000, 30_000)) + "\n");
        master.flush();
        BufferedReader in = session.in();
        RelayFrame.Log hello = (RelayFrame.Log) awaitFrame(in,
                f -> f instanceof RelayFrame.Log l && l.message().startsWith("hello"));
        assertThat(hello.id()).isEqualTo(5);
        assertThat(hello.message()).isEqualTo("hello from 5");
        awaitFrame(in, f -> f instanceof RelayFrame.Log l && l.id() == 6 && l.message().equals("second"));
        assertThat(received).anyMatch(f -> f instanceof RelayFrame.Event e && e.event().name().equals("process_started"));

        master.write(RelayCodec.encode(new RelayFrame.Stop("test says stop")) + "\n");
        master.flush();
        RelayFrame.Done done = (RelayFrame.Done) awaitFrame(in, f -> f instanceof RelayFrame.Done);
        assertThat(done.exitCode()).isZero();
        assertThat(received).filteredOn(f -> f instanceof RelayFrame.Event e && e.event().name().equals("process_stopped"))
                .hasSize(2);
        assertThat(received).anyMatch(f -> f instanceof RelayFrame.Event e && e.event().name().equals("master_stopped"));
        assertThat(exit.get(30, TimeUnit.SECONDS)).isZero();
    }

    @Test
    void stopsItsWorkersWhenTheHeartbeatsStop() throws Exception {
        Session session = Session.open();
        Writer master = session.master();
        CompletableFuture<Integer> exit = session.exit();
        // The worker ignores SIGTERM, so the relay must also kill it once the grace is over.
        master.write(RelayCodec.encode(new RelayFrame.Start("server-1", List.of(
                plan(ONE, "trap '' TERM; echo stubborn; while :; do sleep 1; done")), 3, 10_000, 1_500)) + "\n");
        master.flush();
        BufferedReader in = session.in();
        RelayFrame.Event started = (RelayFrame.Event) awaitFrame(in,
                f -> f instanceof RelayFrame.Event e && e.event().name().equals("process_started"));
        long pid = ((org.distarch.event.ProcessEvent.Started) started.event()).pid();
        // No ping is ever sent, and the session stays open, as in a network cut.
        RelayFrame.Log lost = (RelayFrame.Log) awaitFrame(in,
                f -> f instanceof RelayFrame.Log l && l.message().startsWith("Master lost"));
        assertThat(lost.message()).contains("no heartbeat from the master");
        awaitFrame(in, f -> f instanceof RelayFrame.Done);
        assertThat(exit.get(30, TimeUnit.SECONDS)).isZero();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        master.close();
    }
}
