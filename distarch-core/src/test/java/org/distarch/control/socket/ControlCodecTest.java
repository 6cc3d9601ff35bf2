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
    void aResponseWithFieldsFromANewerMasterIsStillRead() {
        ControlResponse r = ControlCodec.response(
                "{\"result\":{\"ok\":true,\"message\":\"done\",\"details\":[],\"since\":3},\"status\":null,\"extra\":1}");
        assertThat(r.result()).isEqualTo(ControlResult.done("done"));
    }
}
