package org.distarch.remote.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.distarch.launch.LaunchSpec;
import org.junit.jupiter.api.Test;

class RelayCodecTest {

    private static RelayFrame roundTrip(RelayFrame frame) {
        String line = RelayCodec.encode(frame);
        assertThat(line).doesNotContain("\n");
        return RelayCodec.decode(line);
    }

    @Test
    void aLaunchFrameCarriesTheWholeSpecIncludingSecretsInTheEnvironment() {
        LaunchSpec spec = new LaunchSpec(List.of("java", "-cp", "a b", "App", "app:test-command"), Path.of("/srv/app"),
                Map.of("DA_ID", "7", "DA_PARAMS", "{\"secret\":\"s3cr\\\"et\\n\"}"), -5);
        RelayFrame.Launch launch = new RelayFrame.Launch(3, spec, 10_000);
        assertThat(roundTrip(launch)).isEqualTo(launch);
        RelayFrame.Launch bare = new RelayFrame.Launch(4, new LaunchSpec(List.of("sleep", "1"), null, Map.of(), null), 0);
        assertThat(roundTrip(bare)).isEqualTo(bare);
    }

    @Test
    void everyOtherFrameRoundTrips() {
        for (RelayFrame f : List.of(new RelayFrame.Hello(RelayFrame.VERSION, "h1", "First Group", "First Group|h1|0", 5000),
                new RelayFrame.Stop(3), new RelayFrame.Kill(3), new RelayFrame.Signal(3, "USR1"), new RelayFrame.Ping(), new RelayFrame.Close("bye"),
                new RelayFrame.Ready(4242), new RelayFrame.Started(3, 777), new RelayFrame.Failed(3, "no such file"),
                new RelayFrame.Line(3, "disk \"full\"\t\u00e9\u2028 at x"), new RelayFrame.Exited(3, 137, 9),
                new RelayFrame.UsageReport(List.of(new RelayFrame.Sample(3, 1200, 52_000_000L))),
                new RelayFrame.UsageReport(List.of()), new RelayFrame.Log(1_764_300_000_123L, "WARN", "waiting"),
                new RelayFrame.Done(0))) {
            assertThat(roundTrip(f)).isEqualTo(f);
        }
    }

    /** Version 3: a line keeps its stream; stdout, most lines, is written without it. */
    @Test
    void aLineKeepsItsStream() {
        RelayFrame.Line err = new RelayFrame.Line(3, "boom", org.distarch.launch.WorkerStream.STDERR);
        assertThat(RelayCodec.encode(err)).isEqualTo("{\"type\":\"line\",\"handle\":3,\"text\":\"boom\",\"stream\":\"stderr\"}");
        assertThat(roundTrip(err)).isEqualTo(err);
        assertThat(RelayCodec.encode(new RelayFrame.Line(3, "fine"))).doesNotContain("stream");
        assertThat(RelayCodec.decode("{\"type\":\"line\",\"handle\":3,\"text\":\"t\"}"))
                .isEqualTo(new RelayFrame.Line(3, "t", org.distarch.launch.WorkerStream.STDOUT));
        for (String bad : List.of("{\"type\":\"line\",\"handle\":3,\"text\":\"t\",\"stream\":\"STDERR\"}",
                "{\"type\":\"line\",\"handle\":3,\"text\":\"t\",\"stream\":2}",
                "{\"type\":\"line\",\"handle\":3,\"text\":\"t\",\"stream\":null}")) {
            assertThatThrownBy(() -> RelayCodec.decode(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("field \"stream\" must be \"stdout\" or \"stderr\"");
        }
    }

    /** Version 4: a busy process's consecutive lines travel as one frame, in order, with their stream. */
    @Test
    void aLinesFrameCarriesManyLinesInOrderWithTheirStream() {
        RelayFrame.Lines out = new RelayFrame.Lines(3, List.of("one", "two \"quoted\"", "", "\u00e9\u2028\ttab"),
                org.distarch.launch.WorkerStream.STDOUT);
        assertThat(RelayCodec.encode(out)).startsWith("{\"type\":\"lines\",\"handle\":3,\"texts\":[\"one\"")
                .doesNotContain("stream");
        assertThat(roundTrip(out)).isEqualTo(out);
        RelayFrame.Lines err = new RelayFrame.Lines(4, List.of("a", "b"), org.distarch.launch.WorkerStream.STDERR);
        assertThat(RelayCodec.encode(err)).endsWith(",\"stream\":\"stderr\"}");
        assertThat(roundTrip(err)).isEqualTo(err);
        for (String bad : List.of("{\"type\":\"lines\",\"handle\":3}", "{\"type\":\"lines\",\"handle\":3,\"texts\":[]}",
                "{\"type\":\"lines\",\"handle\":3,\"texts\":\"one\"}", "{\"type\":\"lines\",\"handle\":3,\"texts\":[\"a\",1]}",
                "{\"type\":\"lines\",\"handle\":3,\"texts\":[\"a\",null]}", "{\"type\":\"lines\",\"texts\":[\"a\"]}",
                "{\"type\":\"lines\",\"handle\":3,\"texts\":[\"a\"],\"stream\":\"err\"}")) {
            assertThatThrownBy(() -> RelayCodec.decode(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void malformedLinesAreRefusedWithAReason() {
        for (String bad : List.of("", "null", "[]", "{}", "{\"type\":\"nope\"}", "{\"type\":\"launch\"}",
                "{\"type\":\"log\",\"level\":1}", "{\"type\":\"line\",\"handle\":\"x\",\"text\":\"t\"}",
                "{\"type\":\"launch\",\"handle\":1,\"graceMillis\":1,\"argv\":[]}",
                "{\"type\":\"launch\",\"handle\":1,\"graceMillis\":1,\"argv\":[1]}",
                "{\"type\":\"usage\",\"samples\":[[1,2]]}", "{\"type\":\"exited\",\"handle\":1,\"code\":1.5,\"signal\":0}",
                "{\"type\":\"stop\",\"handle\":99999999999}", "{not json",
                "{\"type\":\"stop\",\"handle\":123456789012345678901234567890}", "{\"type\":\"stop\",\"handle\":1.0}",
                "{\"type\":\"usage\",\"samples\":[[1,2,3.5]]}", "{\"type\":\"usage\",\"samples\":[[4294967296,2,3]]}",
                "{\"type\":\"launch\",\"handle\":1,\"graceMillis\":1,\"argv\":[\"x\"],\"env\":{\"A\":1}}",
                "{\"type\":\"launch\",\"handle\":1,\"graceMillis\":1,\"argv\":[\"x\"],\"env\":[]}",
                "{\"type\":\"stop\",\"handle\":1,\"x\":" + "[".repeat(40) + "]".repeat(40) + "}", // nested too deep
                // Only the exact names an operator may send reach the relay's kill: never an option or a number.
                "{\"type\":\"signal\",\"handle\":1}", "{\"type\":\"signal\",\"handle\":1,\"signal\":\"-9\"}",
                "{\"type\":\"signal\",\"handle\":1,\"signal\":\"usr1\"}",
                "{\"type\":\"signal\",\"handle\":1,\"signal\":\"TERM -- -1\"}",
                "{\"type\":\"signal\",\"handle\":1,\"signal\":9}")) {
            assertThatThrownBy(() -> RelayCodec.decode(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> RelayCodec.decode("x".repeat(RelayCodec.MAX_LINE + 1))).hasMessageContaining("longer than");
    }

    @Test
    void anOptionalFieldGivenAsNullIsAbsentAndUnknownFieldsAreIgnored() {
        assertThat(RelayCodec.decode("{\"type\":\"launch\",\"handle\":1,\"graceMillis\":2,\"argv\":[\"x\"],"
                + "\"priority\":null,\"directory\":null,\"user\":null,\"later\":{\"a\":[true,false,null,1.5]}}"))
                .isEqualTo(new RelayFrame.Launch(1, new LaunchSpec(List.of("x"), null, Map.of(), null), 2));
    }

    @Test
    void duplicateKeysAreRefusedRatherThanTheLastOneWinning() {
        assertThatThrownBy(() -> RelayCodec.decode("{\"type\":\"stop\",\"handle\":1,\"type\":\"kill\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Duplicate");
    }

    @Test
    void randomMutationsOfValidFramesNeverThrowAnythingElse() {
        Random random = new Random(42);
        List<String> valid = List.of(
                RelayCodec.encode(new RelayFrame.Launch(1, new LaunchSpec(List.of("sh", "-c", "x"), Path.of("/d"),
                        Map.of("A", "b"), 3), 500)),
                RelayCodec.encode(new RelayFrame.Line(7, "hello")),
                RelayCodec.encode(new RelayFrame.Lines(7, List.of("a", "b"), org.distarch.launch.WorkerStream.STDERR)),
                RelayCodec.encode(new RelayFrame.UsageReport(List.of(new RelayFrame.Sample(1, 2, 3)))),
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
                RelayCodec.decode(s.toString());
            } catch (IllegalArgumentException expected) {
                // refused with a reason: fine
            }
        }
    }
}
