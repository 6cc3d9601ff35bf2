package org.distarch.control.socket;

import org.distarch.control.ControlResult;
import org.distarch.control.Target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ControlCodecTest {

    @Test
    void aRequestRoundTrips() {
        ControlRequest r = new ControlRequest("suspend", "A", true, false, null);
        assertThat(ControlCodec.request(ControlCodec.encode(r))).isEqualTo(r);
        assertThat(ControlCodec.request("{\"op\":\"status\"}")).isEqualTo(ControlRequest.of("status"));
    }

    /** Regression: the last of two keys won, so {"op":"status","op":"stop"} stopped the master. */
    @Test
    void duplicateKeysAreRefused() {
        assertThatThrownBy(() -> ControlCodec.request("{\"op\":\"status\",\"op\":\"stop\"}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("malformed ControlRequest: Duplicate field 'op'");
        assertThatThrownBy(() -> ControlCodec.response("{\"result\":null,\"result\":null}"))
                .hasMessage("malformed ControlResponse: Duplicate field 'result'");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"op\":\"reload\",\"dry_run\":true}", // unknown key: a misspelt modifier must not be dropped
        "{\"op\":\"status\"} {\"op\":\"stop\"}", // trailing content
        "{\"op\":\"suspend\",\"force\":\"yes\"}", // a string for a boolean
        "{\"op\":\"suspend\",\"force\":\"true\"}",
        "{\"op\":\"suspend\",\"force\":1}",
        "[\"status\"]", "\"status\"", "null", "", "   ", "{", "{\"op\":\"stat"})
    void anythingButExactlyOneWellFormedRequestIsRefused(String line) {
        assertThatThrownBy(() -> ControlCodec.request(line)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("malformed ControlRequest: ");
    }

    @Test
    void aLogsRequestRoundTripsAndItsArgumentsAreStrictToo() {
        ControlRequest r = ControlRequest.logs(new LogsRequest("W/2", null, 5, true, 17));
        assertThat(ControlCodec.request(ControlCodec.encode(r))).isEqualTo(r);
        assertThat(ControlCodec.request("{\"op\":\"logs\",\"logs\":{\"follow\":true}}").logs())
                .isEqualTo(new LogsRequest(null, null, null, true, 0));
        assertThat(ControlCodec.request("{\"op\":\"status\"}").logs()).isNull();
        for (String bad : new String[] {
            "{\"op\":\"logs\",\"logs\":{\"folow\":true}}", // misspelt: must not silently show a plain tail
            "{\"op\":\"logs\",\"logs\":{\"lines\":\"5\"}}",
            "{\"op\":\"logs\",\"logs\":{\"follow\":\"yes\"}}",
            "{\"op\":\"logs\",\"logs\":{\"lines\":1,\"lines\":2}}",
            "{\"op\":\"logs\",\"logs\":[]}"}) {
            assertThatThrownBy(() -> ControlCodec.request(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("malformed ControlRequest: ");
        }
    }

    @Test
    void logFramesRoundTrip() {
        var line = new org.distarch.logs.LogLine(7, 1000, 3, 2, "W", "h1", "sh/3/2",
                org.distarch.logs.LogLine.Origin.STDERR, org.distarch.worker.protocol.LogLevel.WARN, "boom \"x\"");
        assertThat(ControlCodec.logFrame(ControlCodec.encode(LogFrame.of(line)))).isEqualTo(LogFrame.of(line));
        assertThat(ControlCodec.encode(LogFrame.end("done", 7, 0))).isEqualTo(
                "{\"end\":{\"reason\":\"done\",\"lastSeq\":7,\"dropped\":0}}");
        assertThatThrownBy(() -> ControlCodec.logFrame("{\"line\":{\"origin\":\"NOPE\"}}"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theProcessOperationsRoundTripWithTheirTargets() {
        for (ControlRequest r : java.util.List.of(
                ControlRequest.on("start", Target.process("A", 2), false, false, null),
                ControlRequest.on("stop-processes", Target.group("A"), true, true, null),
                ControlRequest.on("signal", Target.host("h1"), false, false, "USR1"),
                ControlRequest.on("restart", Target.process(7), false, false, null),
                ControlRequest.on("restart", new Target("A", null, 2, "h1"), false, false, null),
                new ControlRequest("rolling-restart", "A", false, false, null, null, false, null, 2, 5000L),
                new ControlRequest("suspend", "A", false, false, null, null, true, null, null, null))) {
            assertThat(ControlCodec.request(ControlCodec.encode(r))).isEqualTo(r);
        }
        assertThat(ControlCodec.request("{\"op\":\"start\",\"target\":{\"group\":\"A\",\"groupId\":2}}").target())
                .isEqualTo(Target.process("A", 2));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"op\":\"start\",\"target\":{\"gruop\":\"A\"}}", // a misspelt target field must not mean "all"
        "{\"op\":\"start\",\"target\":{\"id\":3,\"group\":\"A\"}}", // an id names nothing else
        "{\"op\":\"start\",\"target\":{\"groupId\":3}}", // a group id needs its group
        "{\"op\":\"start\",\"target\":{\"id\":\"3\"}}", // a string for a number
        "{\"op\":\"start\",\"target\":{\"id\":0}}",
        "{\"op\":\"start\",\"target\":\"A\"}",
        "{\"op\":\"stop-processes\",\"persist\":\"yes\"}",
        "{\"op\":\"rolling-restart\",\"group\":\"A\",\"batch\":\"2\"}"})
    void aMalformedTargetOrModifierIsRefused(String line) {
        assertThatThrownBy(() -> ControlCodec.request(line)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("malformed ControlRequest: ");
    }

    @Test
    void aTargetIsParsedFromWhatAUserTypes() {
        assertThat(Target.parse("7")).isEqualTo(Target.process(7));
        assertThat(Target.parse("Workers/3")).isEqualTo(Target.process("Workers", 3));
        assertThat(Target.parse("demo:ticker")).isEqualTo(Target.group("demo:ticker"));
        assertThat(Target.parse("a/b")).isEqualTo(Target.group("a/b"));
        assertThat(Target.parse("@h1")).isEqualTo(Target.host("h1"));
        assertThatThrownBy(() -> Target.parse(" ")).hasMessageStartingWith("empty target");
        assertThatThrownBy(() -> Target.parse("99999999999")).hasMessage("not a process id: 99999999999");
        assertThat(Target.process("A", 2).describe()).isEqualTo("process A/2");
        assertThat(Target.all().describe()).isEqualTo("all processes");
    }

    @Test
    void aResponseWithFieldsFromANewerMasterIsStillRead() {
        ControlResponse r = ControlCodec.response(
                "{\"result\":{\"ok\":true,\"message\":\"done\",\"details\":[],\"since\":3},\"status\":null,\"extra\":1}");
        assertThat(r.result()).isEqualTo(ControlResult.done("done"));
    }
}
