package org.distarch.remote.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.distarch.config.RestartConfig;
import org.distarch.event.DistarchEvent;
import org.distarch.event.MasterEvent;
import org.distarch.event.ProcessEvent;
import org.distarch.event.ProcessIdentity;
import org.distarch.event.ProcessRole;
import org.distarch.launch.ExitStatus;
import org.distarch.launch.LaunchSpec;
import org.distarch.supervise.InstancePlan;
import org.junit.jupiter.api.Test;

class RelayCodecTest {

    private static final ProcessIdentity WHO = new ProcessIdentity(7, 2, 4, "First Group", "server-host-1",
            "app:test-command", ProcessRole.WORKER);
    private static final Instant T = Instant.ofEpochMilli(1_764_300_000_123L);

    private static RelayFrame roundTrip(RelayFrame frame) {
        String line = RelayCodec.encode(frame);
        assertThat(line).doesNotContain("\n");
        return RelayCodec.decode(line, id -> id == WHO.id() ? WHO : null);
    }

    @Test
    void aStartFrameCarriesWholeInstancePlans() {
        InstancePlan plan = new InstancePlan(WHO, new LaunchSpec(List.of("java", "-cp", "a b", "App", "app:test-command"),
                Path.of("/srv/app"), Map.of("DA_ID", "7", "DA_PARAMS", "{\"secret\":\"s3cr\\\"et\\n\"}"), -5),
                Duration.ofSeconds(60), Duration.ofSeconds(10),
                new RestartConfig(Duration.ofMillis(500), Duration.ofSeconds(8), 1.5, 0.1, Duration.ofSeconds(30), 7),
                512L << 20, null);
        RelayFrame.Start start = new RelayFrame.Start("server-host-1", List.of(plan), 3, 300_000, 5_000);
        assertThat(roundTrip(start)).isEqualTo(start);
    }

    @Test
    void controlAndLogFramesRoundTrip() {
        for (RelayFrame f : List.of(new RelayFrame.Ping(), new RelayFrame.Kill(), new RelayFrame.Stop("max running time"),
                new RelayFrame.Done(1), new RelayFrame.Log(T.toEpochMilli(), "WARN", 7, "disk \"full\"\n at x", Map.of("k", "v")),
                new RelayFrame.Log(T.toEpochMilli(), "INFO", 0, "relay started", Map.of()))) {
            assertThat(roundTrip(f)).isEqualTo(f);
        }
    }

    @Test
    void everyEventRoundTrips() {
        List<DistarchEvent> events = List.of(
                new MasterEvent.Starting(T, "h", true), new MasterEvent.Started(T, "h", true, 4),
                new MasterEvent.Running(T, "h", true, 3), new MasterEvent.Stopped(T, "h", true, 1, "why"),
                new ProcessEvent.Created(T, WHO), new ProcessEvent.Starting(T, WHO, 2), new ProcessEvent.Started(T, WHO, 4242),
                new ProcessEvent.Running(T, WHO, "line"), new ProcessEvent.Stopping(T, WHO, "asked"),
                new ProcessEvent.TimedOut(T, WHO, Duration.ofSeconds(31), 2),
                new ProcessEvent.Stopped(T, WHO, new ExitStatus(137, 9), ProcessEvent.Outcome.RESTARTING, "crash",
                        Duration.ofMillis(1500)),
                new ProcessEvent.Stopped(T, WHO, null, ProcessEvent.Outcome.STOPPED, "suspended", null));
        for (DistarchEvent e : events) {
            assertThat(roundTrip(new RelayFrame.Event(e))).isEqualTo(new RelayFrame.Event(e));
        }
    }

    @Test
    void anEventForAnUnknownProcessIsRefused() {
        String line = RelayCodec.encode(new RelayFrame.Event(new ProcessEvent.Started(T, WHO, 1)));
        assertThatThrownBy(() -> RelayCodec.decode(line, id -> null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown process id 7");
    }

    @Test
    void malformedLinesAreRefusedWithAReason() {
        for (String bad : List.of("", "null", "[]", "{}", "{\"type\":\"nope\"}", "{\"type\":\"start\"}",
                "{\"type\":\"log\",\"level\":1}", "{\"type\":\"event\",\"name\":\"process_stopped\",\"id\":7,\"time\":1,\"outcome\":\"X\"}",
                "{\"type\":\"start\",\"host\":\"h\",\"instances\":[{\"argv\":[]}]}", "{not json")) {
            assertThatThrownBy(() -> RelayCodec.decode(bad, id -> WHO)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> RelayCodec.decode("x".repeat(RelayCodec.MAX_LINE + 1), id -> WHO))
                .hasMessageContaining("longer than");
    }

    @Test
    void randomMutationsOfValidFramesNeverThrowAnythingElse() {
        Random random = new Random(42);
        List<String> valid = List.of(RelayCodec.encode(new RelayFrame.Event(new ProcessEvent.Stopped(T, WHO,
                new ExitStatus(3, 0), ProcessEvent.Outcome.FAILED, "r", null))),
                RelayCodec.encode(new RelayFrame.Log(1, "INFO", 7, "m", Map.of("a", "b"))),
                RelayCodec.encode(new RelayFrame.Done(0)));
        for (int i = 0; i < 20_000; i++) {
            StringBuilder s = new StringBuilder(valid.get(random.nextInt(valid.size())));
            for (int m = random.nextInt(4); m >= 0 && s.length() > 0; m--) {
                int at = random.nextInt(s.length());
                switch (random.nextInt(3)) {
                    case 0 -> s.deleteCharAt(at);
                    case 1 -> s.insert(at, (char) random.nextInt(128));
                    default -> s.setCharAt(at, (char) (32 + random.nextInt(95)));
                }
            }
            try {
                RelayCodec.decode(s.toString(), id -> id == 7 ? WHO : null);
            } catch (IllegalArgumentException expected) {
                // refused with a reason: fine
            }
        }
    }
}
