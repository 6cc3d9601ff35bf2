package org.distarch.cli;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.distarch.admin.client.AdminClient;
import org.distarch.control.ControlResult;
import org.distarch.control.Target;
import org.distarch.control.socket.ControlCodec;
import org.distarch.control.socket.ControlRequest;
import org.distarch.control.socket.ControlResponse;

/**
 * The control commands over a master's HTTP API ({@code --url}), answering as the control socket does, so that
 * {@code status}, {@code suspend}, {@code resume}, {@code stop}, {@code reload}, {@code start}, {@code stop TARGET},
 * {@code restart} (rolling too) and {@code signal} print and exit alike either way. The token comes from {@code DISTARCH_TOKEN}, never from the command line.
 */
final class HttpControl {

    static final String TOKEN_ENV = "DISTARCH_TOKEN";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final AdminClient client;
    private final boolean hasToken;

    HttpControl(String url, String token, Duration timeout) {
        this.client = new AdminClient(url, token, timeout);
        this.hasToken = token != null;
    }

    /** The master's answer; a refusal of the API (401, 403, 409, ...) as a refused result. */
    ControlResponse send(ControlRequest request) throws IOException {
        switch (request.op()) {
            case "status" -> {
                AdminClient.Answer answer = client.get("/api/v1/status");
                if (answer.status() != 200) {
                    return new ControlResponse(refusal(answer), null);
                }
                return ControlCodec.response("{\"result\":null,\"status\":" + answer.body() + "}");
            }
            case "suspend" -> {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("group", request.group());
                body.put("force", request.force());
                body.put("persist", request.persist());
                return result(client.post("/api/v1/actions/suspend", ControlCodec.encode(body)));
            }
            case "resume" -> {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("group", request.group());
                return result(client.post("/api/v1/actions/resume", ControlCodec.encode(body)));
            }
            case "stop" -> {
                return result(client.post("/api/v1/master/stop", "{}"));
            }
            case "reload" -> {
                if (request.config() != null) {
                    return new ControlResponse(ControlResult.refused("config:plan -c FILE reads a file on this "
                            + "machine; with --url only the master's own file can be planned (leave out -c)"), null);
                }
                AdminClient.Answer plan = client.post("/api/v1/reload/plan", "{}");
                if (plan.status() != 200 || request.dryRun()) {
                    return result(plan);
                }
                String planId = text(tree(plan.body()), "planId");
                return result(client.post("/api/v1/reload/apply", ControlCodec.encode(Map.of("planId", planId))));
            }
            case "start", "restart" -> {
                return result(client.post("/api/v1/actions/" + request.op(), ControlCodec.encode(target(request))));
            }
            case "stop-processes" -> {
                Map<String, Object> body = target(request);
                body.put("force", request.force());
                body.put("persist", request.persist());
                return result(client.post("/api/v1/actions/stop", ControlCodec.encode(body)));
            }
            case "signal" -> {
                Map<String, Object> body = target(request);
                body.put("signal", request.signal());
                return result(client.post("/api/v1/actions/signal", ControlCodec.encode(body)));
            }
            case "rolling-restart" -> {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("group", request.group());
                body.put("batch", request.batch());
                body.put("healthyForMillis", request.healthyForMillis());
                return result(client.post("/api/v1/actions/rolling-restart", ControlCodec.encode(body)));
            }
            case "reopen-logs" -> {
                return result(client.post("/api/v1/logs/reopen", "{}"));
            }
            default -> throw new IllegalArgumentException("no HTTP form for the operation " + request.op());
        }
    }

    /** The API's form of a target: the text the command line takes ({@code 7}, {@code A/2}, {@code A}), host, all. */
    private static Map<String, Object> target(ControlRequest request) {
        Target t = request.target() == null ? Target.all() : request.target();
        Map<String, Object> body = new LinkedHashMap<>();
        String text = t.id() != null ? t.id().toString() : t.groupId() != null ? t.group() + "/" + t.groupId()
                : t.group();
        if (text != null) {
            body.put("target", text);
        }
        if (t.host() != null) {
            body.put("host", t.host());
        }
        if (text == null && t.host() == null) {
            body.put("all", true);
        }
        return body;
    }

    private ControlResponse result(AdminClient.Answer answer) {
        JsonNode body = tree(answer.body());
        if (!(body instanceof ObjectNode object) || !object.has("ok") || !object.has("message")) {
            return new ControlResponse(refusal(answer), null);
        }
        object.remove("planId"); // a reload plan's answer is a result with its id; the socket's result has none
        return ControlCodec.response("{\"result\":" + object + ",\"status\":null}");
    }

    private ControlResult refusal(AdminClient.Answer answer) {
        String error = text(tree(answer.body()), "error");
        String message = "the master's HTTP API answered " + answer.status() + (error == null ? "" : ": " + error);
        if (answer.status() == 401 && !hasToken) {
            message += " (set " + TOKEN_ENV + " to a token of the master)";
        }
        return ControlResult.refused(message);
    }

    private static JsonNode tree(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
