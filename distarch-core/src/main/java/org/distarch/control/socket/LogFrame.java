package org.distarch.control.socket;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.distarch.logs.LogLine;

/**
 * What follows the answer to a {@code logs} request, one JSON object per line: a {@code line}, or the
 * {@code end} of the stream with why it ended (docs/control-protocol.md).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LogFrame(LogLine line, End end) {

    /**
     * @param reason  {@code done} (every line asked for was sent) or why a follow was cut off
     * @param lastSeq the sequence number of the last line sent (to resume with {@code after})
     * @param dropped lines this reader lost because it read too slowly
     */
    public record End(String reason, long lastSeq, long dropped) {}

    static LogFrame of(LogLine line) {
        return new LogFrame(line, null);
    }

    static LogFrame end(String reason, long lastSeq, long dropped) {
        return new LogFrame(null, new End(reason, lastSeq, dropped));
    }
}
