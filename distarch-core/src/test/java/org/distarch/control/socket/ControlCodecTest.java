package org.distarch.control.socket;

import org.distarch.control.ControlResult;
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
    void aResponseWithFieldsFromANewerMasterIsStillRead() {
        ControlResponse r = ControlCodec.response(
                "{\"result\":{\"ok\":true,\"message\":\"done\",\"details\":[],\"since\":3},\"status\":null,\"extra\":1}");
        assertThat(r.result()).isEqualTo(ControlResult.done("done"));
    }
}
