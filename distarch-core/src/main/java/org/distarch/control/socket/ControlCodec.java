package org.distarch.control.socket;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The control socket's wire format, in one place: one JSON object per line each way, one request and one
 * response per connection (see docs/control-protocol.md).
 *
 * <p>Both directions refuse a key given twice: Jackson's default is that the last one wins, which let
 * {@code {"op":"status","op":"stop"}} stop a master.
 *
 * <p>Requests are decoded strictly: an unknown key, trailing content after the object, or a string or
 * number where a boolean belongs is refused and nothing is done. Ignoring what it does not know would turn
 * a misspelt or newer modifier into the plain action ({@code "dry_run":true} would reload for real), and a
 * newer CLI that adds a modifier must learn that an older master cannot honour it; the CLI and the master
 * ship in one jar, so no forward compatibility is lost.
 * Responses are decoded leniently about unknown keys: a newer master may add fields to its status, and an
 * older CLI should still show what it knows.
 */
public final class ControlCodec {

    /** Longer requests are refused: nothing legitimate comes close. */
    public static final int MAX_LINE = 64 * 1024;

    private static final ObjectMapper REQUESTS = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();

    private static final ObjectMapper RESPONSES = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private ControlCodec() {}

    public static String encode(Object value) {
        try {
            return RESPONSES.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName(), e);
        }
    }

    /** @throws IllegalArgumentException when the line is not exactly one well-formed request */
    public static ControlRequest request(String line) {
        return decode(REQUESTS, line, ControlRequest.class);
    }

    /** @throws IllegalArgumentException when the line is not a well-formed response */
    public static ControlResponse response(String line) {
        return decode(RESPONSES, line, ControlResponse.class);
    }

    /** A line after the answer to {@code logs}. @throws IllegalArgumentException when it is not one */
    public static LogFrame logFrame(String line) {
        return decode(RESPONSES, line, LogFrame.class);
    }

    private static <T> T decode(ObjectMapper json, String line, Class<T> type) {
        if (line.isBlank()) {
            throw new IllegalArgumentException("malformed " + type.getSimpleName() + ": empty line");
        }
        try {
            T value = json.readValue(line, type);
            if (value == null) {
                throw new IllegalArgumentException("malformed " + type.getSimpleName() + ": null");
            }
            return value;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("malformed " + type.getSimpleName() + ": "
                    + e.getOriginalMessage().lines().findFirst().orElse(""), e);
        }
    }
}
