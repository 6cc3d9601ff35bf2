package org.distarch.remote.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.distarch.config.StopSignal;
import org.distarch.launch.LaunchSpec;
import org.distarch.launch.SignalName;
import org.distarch.launch.WorkerStream;

/**
 * The relay protocol's one codec: each {@link RelayFrame} as one line of JSON, {@code {"type": ...}}.
 * Decoding never trusts its input: a malformed line is an {@link IllegalArgumentException} with the reason,
 * a line longer than {@link #MAX_LINE} is refused before it is parsed, duplicate keys are refused.
 */
public final class RelayCodec {

    /** Frames are small (a worker line is cut at 64 KiB); a longer line means a broken or hostile peer. */
    public static final int MAX_LINE = 4 * 1024 * 1024;

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();

    static {
        JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32)
                .maxStringLength(MAX_LINE).build());
    }

    private RelayCodec() {}

    public static String encode(RelayFrame frame) {
        ObjectNode o = JSON.createObjectNode();
        if (frame instanceof RelayFrame.Hello h) {
            o.put("type", "hello").put("version", h.version()).put("host", h.host()).put("group", h.group())
                    .put("lock", h.lock()).put("deadAfterMillis", h.deadAfterMillis());
        } else if (frame instanceof RelayFrame.Launch l) {
            o.put("type", "launch").put("handle", l.handle()).put("graceMillis", l.graceMillis());
            spec(o, l.spec());
        } else if (frame instanceof RelayFrame.Stop s) {
            o.put("type", "stop").put("handle", s.handle());
        } else if (frame instanceof RelayFrame.Kill k) {
            o.put("type", "kill").put("handle", k.handle());
        } else if (frame instanceof RelayFrame.Signal g) {
            o.put("type", "signal").put("handle", g.handle()).put("signal", g.signal());
        } else if (frame instanceof RelayFrame.Ping) {
            o.put("type", "ping");
        } else if (frame instanceof RelayFrame.Close c) {
            o.put("type", "close").put("reason", c.reason());
        } else if (frame instanceof RelayFrame.Ready r) {
            o.put("type", "ready").put("pid", r.pid());
        } else if (frame instanceof RelayFrame.Started s) {
            o.put("type", "started").put("handle", s.handle()).put("pid", s.pid());
        } else if (frame instanceof RelayFrame.Failed f) {
            o.put("type", "failed").put("handle", f.handle()).put("message", f.message());
        } else if (frame instanceof RelayFrame.Line l) {
            o.put("type", "line").put("handle", l.handle()).put("text", l.text());
            if (l.stream() != WorkerStream.STDOUT) {
                o.put("stream", l.stream().wireName()); // stdout, by far the most lines, goes without it
            }
        } else if (frame instanceof RelayFrame.Lines l) {
            return lines(l);
        } else if (frame instanceof RelayFrame.Exited e) {
            o.put("type", "exited").put("handle", e.handle()).put("code", e.code()).put("signal", e.signal());
        } else if (frame instanceof RelayFrame.UsageReport u) {
            ArrayNode samples = o.put("type", "usage").putArray("samples");
            u.samples().forEach(s -> samples.addArray().add(s.handle()).add(s.cpuMillis()).add(s.rssBytes()));
        } else if (frame instanceof RelayFrame.Log l) {
            o.put("type", "log").put("time", l.epochMillis()).put("level", l.level()).put("message", l.message());
        } else if (frame instanceof RelayFrame.Done d) {
            o.put("type", "done").put("exitCode", d.exitCode());
        }
        return o.toString();
    }

    /** The busiest frame, written straight to text: no tree of thousands of nodes on the relay's small heap. */
    private static String lines(RelayFrame.Lines l) {
        StringWriter text = new StringWriter(64 + l.texts().size() * 16);
        try (JsonGenerator g = JSON.getFactory().createGenerator(text)) {
            g.writeStartObject();
            g.writeStringField("type", "lines");
            g.writeNumberField("handle", l.handle());
            g.writeArrayFieldStart("texts");
            for (String t : l.texts()) {
                g.writeString(t);
            }
            g.writeEndArray();
            if (l.stream() != WorkerStream.STDOUT) {
                g.writeStringField("stream", l.stream().wireName());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return text.toString();
    }

    public static RelayFrame decode(String line) {
        if (line.length() > MAX_LINE) {
            throw new IllegalArgumentException("frame longer than " + MAX_LINE + " characters");
        }
        JsonNode o;
        try {
            o = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a JSON frame: " + e.getOriginalMessage());
        }
        if (o == null || !o.isObject()) {
            throw new IllegalArgumentException("a frame is a JSON object");
        }
        String type = text(o, "type");
        return switch (type) {
            case "hello" -> new RelayFrame.Hello(integer(o, "version"), text(o, "host"), text(o, "group"),
                    text(o, "lock"), number(o, "deadAfterMillis"));
            case "launch" -> new RelayFrame.Launch(integer(o, "handle"), spec(o), number(o, "graceMillis"));
            case "stop" -> new RelayFrame.Stop(integer(o, "handle"));
            case "kill" -> new RelayFrame.Kill(integer(o, "handle"));
            case "signal" -> new RelayFrame.Signal(integer(o, "handle"), signal(text(o, "signal")));
            case "ping" -> new RelayFrame.Ping();
            case "close" -> new RelayFrame.Close(o.path("reason").asText("closed"));
            case "ready" -> new RelayFrame.Ready(number(o, "pid"));
            case "started" -> new RelayFrame.Started(integer(o, "handle"), number(o, "pid"));
            case "failed" -> new RelayFrame.Failed(integer(o, "handle"), text(o, "message"));
            case "line" -> new RelayFrame.Line(integer(o, "handle"), text(o, "text"), stream(o));
            case "lines" -> new RelayFrame.Lines(integer(o, "handle"), texts(o), stream(o));
            case "exited" -> new RelayFrame.Exited(integer(o, "handle"), integer(o, "code"), integer(o, "signal"));
            case "usage" -> new RelayFrame.UsageReport(samples(o));
            case "log" -> new RelayFrame.Log(number(o, "time"), text(o, "level"), text(o, "message"));
            case "done" -> new RelayFrame.Done(integer(o, "exitCode"));
            default -> throw new IllegalArgumentException("unknown frame type \"" + type + "\"");
        };
    }

    /** A line's stream: absent means stdout; anything but "stdout" or "stderr" is refused. */
    private static WorkerStream stream(JsonNode o) {
        if (!o.has("stream")) {
            return WorkerStream.STDOUT;
        }
        JsonNode s = o.get("stream");
        WorkerStream stream = s.isTextual() ? WorkerStream.ofWireName(s.asText()) : null;
        if (stream == null) {
            throw new IllegalArgumentException("field \"stream\" must be \"stdout\" or \"stderr\"");
        }
        return stream;
    }

    /** The lines of a {@code lines} frame: at least one, each a string. */
    private static List<String> texts(JsonNode o) {
        List<String> texts = new ArrayList<>();
        for (JsonNode t : array(o, "texts")) {
            if (!t.isTextual()) {
                throw new IllegalArgumentException("\"texts\" holds only strings");
            }
            texts.add(t.asText());
        }
        if (texts.isEmpty()) {
            throw new IllegalArgumentException("a lines frame holds at least one line");
        }
        return texts;
    }

    /** Only the signal names an operator may send ever reach the relay's {@code kill}. */
    private static String signal(String name) {
        String normal = SignalName.of(name);
        if (!normal.equals(name)) {
            throw new IllegalArgumentException("a signal is named as " + normal + " (got \"" + name + "\")");
        }
        return normal;
    }

    private static void spec(ObjectNode o, LaunchSpec spec) {
        ArrayNode argv = o.putArray("argv");
        spec.command().forEach(argv::add);
        if (spec.directory() != null) {
            o.put("directory", spec.directory().toString());
        }
        ObjectNode env = o.putObject("env");
        spec.environment().forEach(env::put);
        if (spec.priority() != null) {
            o.put("priority", spec.priority());
        }
        o.put("stopSignal", spec.stopSignal().name());
        if (spec.user() != null) {
            o.put("user", spec.user());
        }
        if (spec.umask() != null) {
            o.put("umask", spec.umask());
        }
    }

    private static LaunchSpec spec(JsonNode o) {
        List<String> argv = new ArrayList<>();
        for (JsonNode w : array(o, "argv")) {
            if (!w.isTextual()) {
                throw new IllegalArgumentException("argv holds only strings");
            }
            argv.add(w.asText());
        }
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("a launch needs a command");
        }
        JsonNode env = o.path("env");
        Map<String, String> vars = new LinkedHashMap<>();
        if (env.isObject()) {
            env.fields().forEachRemaining(e -> vars.put(e.getKey(), e.getValue().asText()));
        } else if (!env.isMissingNode()) {
            throw new IllegalArgumentException("env must be an object");
        }
        Integer priority = o.hasNonNull("priority") ? integer(o, "priority") : null;
        Path directory = o.hasNonNull("directory") ? Path.of(text(o, "directory")) : null;
        StopSignal stopSignal = StopSignal.TERM;
        if (o.hasNonNull("stopSignal")) {
            stopSignal = StopSignal.of(text(o, "stopSignal"));
            if (stopSignal == null) {
                throw new IllegalArgumentException("stopSignal must be TERM, INT, QUIT, HUP, USR1 or USR2");
            }
        }
        String user = o.hasNonNull("user") ? text(o, "user") : null;
        Integer umask = o.hasNonNull("umask") ? integer(o, "umask") : null;
        if (umask != null && (umask < 0 || umask > 0777)) {
            throw new IllegalArgumentException("umask must be between 0 and 0777");
        }
        return new LaunchSpec(argv, directory, vars, priority, stopSignal, user, umask);
    }

    private static List<RelayFrame.Sample> samples(JsonNode o) {
        List<RelayFrame.Sample> samples = new ArrayList<>();
        for (JsonNode s : array(o, "samples")) {
            if (!s.isArray() || s.size() != 3 || !s.get(0).canConvertToInt() || !s.get(1).canConvertToLong()
                    || !s.get(2).canConvertToLong()) {
                throw new IllegalArgumentException("a usage sample is [handle, cpuMillis, rssBytes]");
            }
            samples.add(new RelayFrame.Sample(s.get(0).asInt(), s.get(1).asLong(), s.get(2).asLong()));
        }
        return samples;
    }

    private static String text(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("missing text field \"" + field + "\"");
        }
        return v.asText();
    }

    private static long number(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new IllegalArgumentException("missing whole-number field \"" + field + "\"");
        }
        return v.asLong();
    }

    private static int integer(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new IllegalArgumentException("missing whole-number field \"" + field + "\"");
        }
        return v.asInt();
    }

    private static Iterable<JsonNode> array(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || !v.isArray()) {
            throw new IllegalArgumentException("missing list \"" + field + "\"");
        }
        return v;
    }
}
