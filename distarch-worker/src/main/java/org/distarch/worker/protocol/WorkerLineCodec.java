package org.distarch.worker.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The worker line protocol, version 1: the only place that knows its syntax.
 *
 * <pre>
 * any line                           → Output (an info line)
 * &#64;&#64;distarch ping                    → Ping
 * &#64;&#64;distarch ended                   → Ended
 * &#64;&#64;distarch log LEVEL message text  → Log (one space after LEVEL; the rest is the message, verbatim)
 * &#64;&#64;distarch json {"level":"warn","message":"…","context":{"k":"v"}} → Log
 * &#64;&#64;distarch listening ADDRESS              → Listening (a queue feeder is ready for consumers)
 * &#64;&#64;distarch consumers N                    → Consumers (a feeder's connected consumers, when it changes)
 * &#64;&#64;distarch cannot-start REASON            → CannotStart (give me up: retrying cannot help)
 * &#64;&#64;distarch item {"state":"received","itemId":"…","attempt":1}          → QueueItem
 * &#64;&#64;distarch item {"state":"failed","itemId":"…","attempt":2,"error":"…"} → QueueItem
 * &#64;&#64;distarch item {"state":"handled","itemId":"…","attempt":1,"consumer":3,"item":"{…}"} → QueueItem
 *   (optional: "consumer" ≥ 0, absent = 0; "item", a string of at most 4096 chars; "itemTruncated": true)
 * </pre>
 *
 * A malformed control line (unknown verb, bad level, bad JSON) is not an error: the whole
 * line is an ordinary {@link WorkerLine.Output}. {@link #parse} never throws.
 * The master answers on the worker's stdin with {@link #STOP_COMMAND}. See docs/worker-protocol.md.
 */
public final class WorkerLineCodec {

    /** Every control line starts with this prefix (note the trailing space). */
    public static final String PREFIX = "@@distarch ";
    /** The line the master writes on the worker's stdin to ask it to stop. */
    public static final String STOP_COMMAND = "stop";

    private static final String PING = PREFIX + "ping";
    private static final String ENDED = PREFIX + "ended";
    private static final String LOG_VERB = "log ";
    private static final String JSON_VERB = "json ";
    private static final String LISTENING_VERB = "listening ";
    private static final String ITEM_VERB = "item ";
    private static final String CONSUMERS_VERB = "consumers ";
    /** More digits than any connection count: a longer number is not a count but output. */
    private static final int MAX_COUNT_DIGITS = 9;
    private static final String CANNOT_START_VERB = "cannot-start ";
    private static final WorkerLine.Ping PING_LINE = new WorkerLine.Ping();
    private static final WorkerLine.Ended ENDED_LINE = new WorkerLine.Ended();
    private static final JsonStringEncoder JSON_STRINGS = JsonStringEncoder.getInstance();
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private WorkerLineCodec() {}

    /** Reads one line (without its line terminator). Never throws; null reads as an empty line. */
    public static WorkerLine parse(String line) {
        if (line == null) {
            return new WorkerLine.Output("");
        }
        if (line.isEmpty() || line.charAt(0) != '@' || !line.startsWith(PREFIX)) {
            return new WorkerLine.Output(line);
        }
        try {
            WorkerLine control = parseControl(line);
            return control != null ? control : new WorkerLine.Output(line);
        } catch (RuntimeException | StackOverflowError e) {
            return new WorkerLine.Output(line);
        }
    }

    private static WorkerLine parseControl(String line) {
        String rest = line.substring(PREFIX.length());
        if (rest.startsWith(LOG_VERB)) {
            return parseLog(rest.substring(LOG_VERB.length()));
        }
        if (rest.startsWith(JSON_VERB)) {
            return parseJson(rest.substring(JSON_VERB.length()));
        }
        if (rest.startsWith(ITEM_VERB)) {
            WorkerLine fast = ItemLineFastPath.parse(line, PREFIX.length() + ITEM_VERB.length());
            return fast != null ? fast : parseItem(rest.substring(ITEM_VERB.length()));
        }
        if (rest.startsWith(CANNOT_START_VERB)) {
            String reason = rest.substring(CANNOT_START_VERB.length()).strip();
            return reason.isEmpty() ? null : new WorkerLine.CannotStart(reason);
        }
        if (rest.startsWith(CONSUMERS_VERB)) {
            return parseConsumers(rest.substring(CONSUMERS_VERB.length()).strip());
        }
        if (rest.startsWith(LISTENING_VERB)) {
            String address = rest.substring(LISTENING_VERB.length()).strip();
            return address.isEmpty() ? null : new WorkerLine.Listening(address);
        }
        String verb = rest.stripTrailing();
        if (verb.equals("ping")) {
            return PING_LINE;
        }
        if (verb.equals("ended")) {
            return ENDED_LINE;
        }
        return null;
    }

    private static WorkerLine parseConsumers(String count) {
        if (count.isEmpty() || count.length() > MAX_COUNT_DIGITS) {
            return null;
        }
        for (int i = 0; i < count.length(); i++) {
            if (count.charAt(i) < '0' || count.charAt(i) > '9') {
                return null;
            }
        }
        return new WorkerLine.Consumers(Integer.parseInt(count));
    }

    private static WorkerLine parseLog(String levelAndMessage) {
        int space = levelAndMessage.indexOf(' ');
        String levelText = space < 0 ? levelAndMessage : levelAndMessage.substring(0, space);
        String message = space < 0 ? "" : levelAndMessage.substring(space + 1);
        Optional<LogLevel> level = LogLevel.parse(levelText);
        if (level.isEmpty() || levelText.isBlank()) {
            return null;
        }
        return new WorkerLine.Log(level.get(), message, Map.of());
    }

    private static WorkerLine parseJson(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            return null;
        }
        if (root == null || !root.isObject()) {
            return null;
        }
        LogLevel level = LogLevel.INFO;
        JsonNode levelNode = root.get("level");
        if (levelNode != null && !levelNode.isNull()) {
            if (!levelNode.isTextual()) {
                return null;
            }
            Optional<LogLevel> parsed = LogLevel.parse(levelNode.textValue());
            if (parsed.isEmpty()) {
                return null;
            }
            level = parsed.get();
        }
        JsonNode messageNode = root.get("message");
        if (messageNode == null || !messageNode.isTextual()) {
            return null;
        }
        Map<String, String> context = Map.of();
        JsonNode contextNode = root.get("context");
        if (contextNode != null && !contextNode.isNull()) {
            if (!contextNode.isObject()) {
                return null;
            }
            context = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> field : contextNode.properties()) {
                context.put(field.getKey(), contextValue(field.getValue()));
            }
        }
        return new WorkerLine.Log(level, messageNode.textValue(), context);
    }

    /** The strict reading of an item line's JSON (Jackson), or null; package-private for the fast path's tests. */
    static WorkerLine parseItem(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            return null;
        }
        if (root == null || !root.isObject()) {
            return null;
        }
        JsonNode state = root.get("state");
        JsonNode itemId = root.get("itemId");
        JsonNode attempt = root.get("attempt");
        JsonNode error = root.get("error");
        JsonNode consumer = root.get("consumer");
        JsonNode item = root.get("item");
        JsonNode truncated = root.get("itemTruncated");
        if ((consumer != null && (!consumer.isIntegralNumber() || !consumer.canConvertToLong() || consumer.longValue() < 0))
                || (item != null && !item.isTextual() && !item.isNull())
                || (truncated != null && !truncated.isBoolean())) {
            return null;
        }
        if (state == null || !state.isTextual() || itemId == null || !itemId.isTextual()
                || attempt == null || !attempt.canConvertToInt() || !attempt.isIntegralNumber() || attempt.intValue() < 1
                || (error != null && !error.isTextual() && !error.isNull())) {
            return null;
        }
        WorkerLine.ItemState parsed = switch (state.textValue()) {
            case "received" -> WorkerLine.ItemState.RECEIVED;
            case "handled" -> WorkerLine.ItemState.HANDLED;
            case "failed" -> WorkerLine.ItemState.FAILED;
            default -> null;
        };
        if (parsed == null) {
            return null;
        }
        return new WorkerLine.QueueItem(parsed, itemId.textValue(), attempt.intValue(),
                error == null || error.isNull() ? null : error.textValue(), consumer == null ? 0 : consumer.longValue(),
                item == null || item.isNull() ? null : item.textValue(), truncated != null && truncated.booleanValue());
    }

    /** Strings as they are, numbers and booleans as their text, null as "", nested values as JSON. */
    private static String contextValue(JsonNode value) {
        if (value.isNull()) {
            return "";
        }
        if (value.isValueNode()) {
            return value.asText();
        }
        return value.toString();
    }

    /**
     * Encodes a log line: the plain {@code log} form when the message has no line break and
     * there is no context, else the {@code json} form. The result has no line terminator.
     */
    public static String log(LogLevel level, String message, Map<String, String> context) {
        WorkerLine.Log log = new WorkerLine.Log(level, message, context);
        if (log.context().isEmpty() && !hasLineBreak(log.message())) {
            return PREFIX + LOG_VERB + level.wireName() + ' ' + log.message();
        }
        ObjectNode node = JSON.createObjectNode();
        node.put("level", level.wireName());
        node.put("message", log.message());
        if (!log.context().isEmpty()) {
            ObjectNode contextNode = node.putObject("context");
            log.context().forEach(contextNode::put);
        }
        try {
            return PREFIX + JSON_VERB + JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a JSON tree of strings", e);
        }
    }

    /** {@code log(level, message, Map.of())}. */
    public static String log(LogLevel level, String message) {
        return log(level, message, Map.of());
    }

    /** Encodes any worker line; an {@link WorkerLine.Output} is returned as is. */
    public static String encode(WorkerLine line) {
        if (line instanceof WorkerLine.Output output) {
            return output.text();
        }
        if (line instanceof WorkerLine.Log log) {
            return log(log.level(), log.message(), log.context());
        }
        if (line instanceof WorkerLine.Ping) {
            return ping();
        }
        if (line instanceof WorkerLine.Listening l) {
            return listening(l.address());
        }
        if (line instanceof WorkerLine.QueueItem q) {
            return item(q);
        }
        if (line instanceof WorkerLine.Consumers c) {
            return consumers(c.connected());
        }
        if (line instanceof WorkerLine.CannotStart c) {
            return cannotStart(c.reason());
        }
        return ended();
    }

    /** {@code @@distarch cannot-start REASON}; line breaks in the reason become spaces. */
    public static String cannotStart(String reason) {
        return PREFIX + CANNOT_START_VERB + reason.replace('\n', ' ').replace('\r', ' ');
    }

    /** {@code @@distarch consumers N}: the feeder's connected consumers now. */
    public static String consumers(int connected) {
        return PREFIX + CONSUMERS_VERB + new WorkerLine.Consumers(connected).connected();
    }

    /** {@code @@distarch listening ADDRESS}; line breaks in the address become spaces. */
    public static String listening(String address) {
        return PREFIX + LISTENING_VERB + address.replace('\n', ' ').replace('\r', ' ');
    }

    /** {@code @@distarch item {...}}: one queue item's step, on one line, without consumer or item. */
    public static String item(WorkerLine.ItemState state, String itemId, int attempt, String error) {
        return item(new WorkerLine.QueueItem(state, itemId, attempt, error));
    }

    /**
     * {@code @@distarch item {...}} with every field the step has: {@code consumer} when not 0, {@code item}
     * (already cut by {@link WorkerLine.QueueItem}) and {@code itemTruncated} only when it was cut.
     */
    public static String item(WorkerLine.QueueItem q) {
        // Written field by field (no tree): every queue item costs two of these lines. Same bytes as the mapper
        // writing the tree of the same fields, in the same order (QueueItemLineTest checks it).
        StringBuilder b = new StringBuilder(80 + (q.item() == null ? 0 : q.item().length()));
        b.append(PREFIX).append(ITEM_VERB).append("{\"state\":\"").append(q.state().wireName())
                .append("\",\"itemId\":");
        string(b, q.itemId());
        b.append(",\"attempt\":").append(q.attempt());
        if (q.state() == WorkerLine.ItemState.FAILED) {
            b.append(",\"error\":");
            string(b, q.error());
        }
        if (q.consumer() != 0) {
            b.append(",\"consumer\":").append(q.consumer());
        }
        if (q.item() != null) {
            b.append(",\"item\":");
            string(b, q.item());
            if (q.itemTruncated()) {
                b.append(",\"itemTruncated\":true");
            }
        }
        return b.append('}').toString();
    }

    /** A JSON string as Jackson writes it; the usual ids and items need no escaping and are copied as they are. */
    private static void string(StringBuilder b, String s) {
        if (s == null) {
            b.append("null");
            return;
        }
        b.append('"');
        if (plain(s)) {
            b.append(s);
        } else {
            JSON_STRINGS.quoteAsString(s, b);
        }
        b.append('"');
    }

    /** Printable ASCII that JSON writes as it is (no quote, no backslash). */
    private static boolean plain(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    /** {@code @@distarch ping}. */
    public static String ping() {
        return PING;
    }

    /** {@code @@distarch ended}. */
    public static String ended() {
        return ENDED;
    }

    /** True when a line read on the worker's stdin asks it to stop (trailing blanks and CR ignored). */
    public static boolean isStopCommand(String stdinLine) {
        return stdinLine != null && stdinLine.strip().equals(STOP_COMMAND);
    }

    private static boolean hasLineBreak(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                return true;
            }
        }
        return false;
    }
}
