package org.distarch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Consumer;
import org.distarch.admin.client.AdminClient;
import org.distarch.control.ControlResult;
import org.distarch.control.socket.ControlClient;
import org.distarch.control.socket.ControlResponse;
import org.distarch.control.socket.LogFrame;
import org.distarch.control.socket.LogsRequest;
import org.distarch.logs.LogLine;
import org.distarch.worker.protocol.LogLevel;

/**
 * {@code distarch logs --url}: the lines from {@code GET /api/v1/logs}, and with {@code -f} from the server-sent
 * events of {@code /api/v1/logs/stream}, handed over as the control socket hands them ({@link LogLine}s, then how
 * the stream ended), so that {@code logs} prints and exits alike either way.
 */
final class HttpLogs {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final AdminClient client;
    private final boolean hasToken;

    HttpLogs(String url, String token, Duration timeout) {
        this.client = new AdminClient(url, token, timeout);
        this.hasToken = token != null;
    }

    ControlClient.LogsEnd logs(LogsRequest q, Consumer<LogLine> onLine) throws IOException {
        StringBuilder query = new StringBuilder("?lines=").append(q.linesOrDefault());
        if (q.process() != null) {
            query.append("&process=").append(URLEncoder.encode(q.process(), StandardCharsets.UTF_8));
        }
        if (q.group() != null) {
            query.append("&group=").append(URLEncoder.encode(q.group(), StandardCharsets.UTF_8));
        }
        if (q.after() > 0) {
            query.append("&after=").append(q.after());
        }
        if (!q.follow()) {
            AdminClient.Answer answer = client.get("/api/v1/logs" + query);
            if (answer.status() != 200) {
                return refused(answer);
            }
            JsonNode page = JSON.readTree(answer.body());
            page.path("lines").forEach(l -> onLine.accept(line(l)));
            return new ControlClient.LogsEnd(done(), new LogFrame.End("done", page.path("lastSeq").asLong(), 0));
        }
        LogFrame.End[] end = new LogFrame.End[1];
        String[] event = new String[1];
        AdminClient.Answer answer = client.stream("/api/v1/logs/stream" + query, text -> {
            if (text.startsWith("event: ")) {
                event[0] = text.substring(7);
            } else if (text.startsWith("data: ")) {
                JsonNode data = tree(text.substring(6));
                if ("end".equals(event[0])) {
                    end[0] = new LogFrame.End(data.path("reason").asText(), data.path("lastSeq").asLong(),
                            data.path("dropped").asLong());
                } else if ("line".equals(event[0])) {
                    onLine.accept(line(data));
                }
            } else if (text.isEmpty()) {
                event[0] = null;
            }
        });
        if (answer.status() != 200) {
            return refused(answer);
        }
        return new ControlClient.LogsEnd(done(), end[0]); // no end: the master closed the stream (it stopped)
    }

    private static ControlResponse done() {
        return new ControlResponse(ControlResult.done("Logs"), null);
    }

    /** A line as the API writes it ({@code stream}: stdout, stderr or master). */
    static LogLine line(JsonNode l) {
        return new LogLine(l.path("seq").asLong(), l.path("time").asLong(), l.path("id").asInt(),
                l.path("groupId").asInt(), l.path("group").asText(), l.path("host").asText(),
                l.path("process").asText(), LogLine.Origin.valueOf(l.path("stream").asText().toUpperCase(Locale.ROOT)),
                LogLevel.valueOf(l.path("level").asText()), l.path("text").asText());
    }

    /** The API's refusal as the socket's: an unknown process or group in the same words, others with the status. */
    private ControlClient.LogsEnd refused(AdminClient.Answer answer) {
        JsonNode body = tree(answer.body());
        String error = body == null || !body.hasNonNull("error") ? null : body.get("error").asText();
        String message = answer.status() == 404 && error != null ? error
                : "the master's HTTP API answered " + answer.status() + (error == null ? "" : ": " + error);
        if (answer.status() == 401 && !hasToken) {
            message += " (set " + HttpControl.TOKEN_ENV + " to a token of the master)";
        }
        return new ControlClient.LogsEnd(new ControlResponse(ControlResult.refused(message), null), null);
    }

    private static JsonNode tree(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            return null;
        }
    }
}
