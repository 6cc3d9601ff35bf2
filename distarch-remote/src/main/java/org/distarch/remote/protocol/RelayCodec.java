package org.distarch.remote.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
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
 *
 * <p>Jackson's streaming layer only (jackson-core), not its object mapper: the relay runs this codec on every
 * host, and the mapper alone loaded about 340 classes there (and, through its date format, the locale data),
 * a few MiB of every relay's memory for frames this small (docs/design.md, "The relay's JVM"). A frame is read
 * into plain maps, lists, strings and numbers ({@link #read}), and its fields are checked from those.
 */
public final class RelayCodec {

    /** Frames are small (a worker line is cut at 64 KiB); a longer line means a broken or hostile peer. */
    public static final int MAX_LINE = 4 * 1024 * 1024;

    private static final int MAX_DEPTH = 32;

    /** JSON {@code null} as read, unlike an absent field (a {@code "stream": null} is refused, not stdout). */
    private static final Object NULL = new Object();

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH)
                    .maxStringLength(MAX_LINE).build())
            .build();

    private RelayCodec() {}

    public static String encode(RelayFrame frame) {
        StringWriter text = new StringWriter(frame instanceof RelayFrame.Lines l ? 64 + l.texts().size() * 16 : 64);
        try (JsonGenerator g = JSON.createGenerator(text)) {
            g.writeStartObject();
            write(g, frame);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return text.toString();
    }

    private static void write(JsonGenerator g, RelayFrame frame) throws IOException {
        if (frame instanceof RelayFrame.Hello h) {
            type(g, "hello");
            g.writeNumberField("version", h.version());
            g.writeStringField("host", h.host());
            g.writeStringField("group", h.group());
            g.writeStringField("lock", h.lock());
            g.writeNumberField("deadAfterMillis", h.deadAfterMillis());
        } else if (frame instanceof RelayFrame.Launch l) {
            type(g, "launch");
            g.writeNumberField("handle", l.handle());
            g.writeNumberField("graceMillis", l.graceMillis());
            spec(g, l.spec());
        } else if (frame instanceof RelayFrame.Stop s) {
            handleFrame(g, "stop", s.handle());
        } else if (frame instanceof RelayFrame.Kill k) {
            handleFrame(g, "kill", k.handle());
        } else if (frame instanceof RelayFrame.Signal s) {
            handleFrame(g, "signal", s.handle());
            g.writeStringField("signal", s.signal());
        } else if (frame instanceof RelayFrame.Ping) {
            type(g, "ping");
        } else if (frame instanceof RelayFrame.Close c) {
            type(g, "close");
            g.writeStringField("reason", c.reason());
        } else if (frame instanceof RelayFrame.Ready r) {
            type(g, "ready");
            g.writeNumberField("pid", r.pid());
        } else if (frame instanceof RelayFrame.Started s) {
            handleFrame(g, "started", s.handle());
            g.writeNumberField("pid", s.pid());
        } else if (frame instanceof RelayFrame.Failed f) {
            handleFrame(g, "failed", f.handle());
            g.writeStringField("message", f.message());
        } else if (frame instanceof RelayFrame.Line l) {
            handleFrame(g, "line", l.handle());
            g.writeStringField("text", l.text());
            stream(g, l.stream());
        } else if (frame instanceof RelayFrame.Lines l) {
            handleFrame(g, "lines", l.handle());
            g.writeArrayFieldStart("texts");
            for (String t : l.texts()) {
                g.writeString(t);
            }
            g.writeEndArray();
            stream(g, l.stream());
        } else if (frame instanceof RelayFrame.Exited e) {
            handleFrame(g, "exited", e.handle());
            g.writeNumberField("code", e.code());
            g.writeNumberField("signal", e.signal());
        } else if (frame instanceof RelayFrame.UsageReport u) {
            type(g, "usage");
            g.writeArrayFieldStart("samples");
            for (RelayFrame.Sample s : u.samples()) {
                g.writeStartArray();
                g.writeNumber(s.handle());
                g.writeNumber(s.cpuMillis());
                g.writeNumber(s.rssBytes());
                g.writeEndArray();
            }
            g.writeEndArray();
        } else if (frame instanceof RelayFrame.Log l) {
            type(g, "log");
            g.writeNumberField("time", l.epochMillis());
            g.writeStringField("level", l.level());
            g.writeStringField("message", l.message());
        } else if (frame instanceof RelayFrame.Done d) {
            type(g, "done");
            g.writeNumberField("exitCode", d.exitCode());
        }
    }

    private static void type(JsonGenerator g, String type) throws IOException {
        g.writeStringField("type", type);
    }

    private static void handleFrame(JsonGenerator g, String type, int handle) throws IOException {
        type(g, type);
        g.writeNumberField("handle", handle);
    }

    /** stdout, by far the most lines, goes without it. */
    private static void stream(JsonGenerator g, WorkerStream stream) throws IOException {
        if (stream != WorkerStream.STDOUT) {
            g.writeStringField("stream", stream.wireName());
        }
    }

    public static RelayFrame decode(String line) {
        if (line.length() > MAX_LINE) {
            throw new IllegalArgumentException("frame longer than " + MAX_LINE + " characters");
        }
        Object value;
        try (JsonParser p = JSON.createParser(line)) {
            value = p.nextToken() == null ? null : read(p);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a JSON frame: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a string does not fail to read
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("a frame is a JSON object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> o = (Map<String, Object>) map;
        String type = text(o, "type");
        return switch (type) {
            case "hello" -> new RelayFrame.Hello(integer(o, "version"), text(o, "host"), text(o, "group"),
                    text(o, "lock"), number(o, "deadAfterMillis"));
            case "launch" -> new RelayFrame.Launch(integer(o, "handle"), spec(o), number(o, "graceMillis"));
            case "stop" -> new RelayFrame.Stop(integer(o, "handle"));
            case "kill" -> new RelayFrame.Kill(integer(o, "handle"));
            case "signal" -> new RelayFrame.Signal(integer(o, "handle"), signal(text(o, "signal")));
            case "ping" -> new RelayFrame.Ping();
            case "close" -> new RelayFrame.Close(o.get("reason") instanceof String r ? r : "closed");
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

    /**
     * The value at the parser's current token: a map (in the frame's order), a list, a string, a {@link Long} or
     * {@link BigInteger} for a whole number, a {@link Double} for any other number, a boolean or {@link #NULL}.
     * The parser bounds the nesting ({@link #MAX_DEPTH}) and refuses duplicate keys.
     */
    private static Object read(JsonParser p) throws IOException {
        JsonToken token = p.currentToken();
        switch (token) {
            case START_OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                String name;
                while ((name = p.nextFieldName()) != null) {
                    p.nextToken();
                    map.put(name, read(p));
                }
                return map;
            }
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    list.add(read(p));
                }
                return list;
            }
            case VALUE_STRING -> {
                return p.getText();
            }
            case VALUE_NUMBER_INT -> {
                return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? p.getBigIntegerValue() : p.getLongValue();
            }
            case VALUE_NUMBER_FLOAT -> {
                return p.getDoubleValue();
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return token == JsonToken.VALUE_TRUE;
            }
            case VALUE_NULL -> {
                return NULL;
            }
            default -> throw new IllegalArgumentException("unexpected " + token + " in a frame");
        }
    }

    /** A line's stream: absent means stdout; anything but "stdout" or "stderr" is refused. */
    private static WorkerStream stream(Map<String, Object> o) {
        if (!o.containsKey("stream")) {
            return WorkerStream.STDOUT;
        }
        WorkerStream stream = o.get("stream") instanceof String s ? WorkerStream.ofWireName(s) : null;
        if (stream == null) {
            throw new IllegalArgumentException("field \"stream\" must be \"stdout\" or \"stderr\"");
        }
        return stream;
    }

    /** The lines of a {@code lines} frame: at least one, each a string. */
    private static List<String> texts(Map<String, Object> o) {
        List<String> texts = new ArrayList<>();
        for (Object t : array(o, "texts")) {
            if (!(t instanceof String s)) {
                throw new IllegalArgumentException("\"texts\" holds only strings");
            }
            texts.add(s);
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

    private static void spec(JsonGenerator g, LaunchSpec spec) throws IOException {
        g.writeArrayFieldStart("argv");
        for (String word : spec.command()) {
            g.writeString(word);
        }
        g.writeEndArray();
        if (spec.directory() != null) {
            g.writeStringField("directory", spec.directory().toString());
        }
        g.writeObjectFieldStart("env");
        for (Map.Entry<String, String> e : spec.environment().entrySet()) {
            g.writeStringField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
        if (spec.priority() != null) {
            g.writeNumberField("priority", spec.priority());
        }
        g.writeStringField("stopSignal", spec.stopSignal().name());
        if (spec.user() != null) {
            g.writeStringField("user", spec.user());
        }
        if (spec.umask() != null) {
            g.writeNumberField("umask", spec.umask());
        }
    }

    private static LaunchSpec spec(Map<String, Object> o) {
        List<String> argv = new ArrayList<>();
        for (Object w : array(o, "argv")) {
            if (!(w instanceof String word)) {
                throw new IllegalArgumentException("argv holds only strings");
            }
            argv.add(word);
        }
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("a launch needs a command");
        }
        Object env = o.get("env");
        Map<String, String> vars = new LinkedHashMap<>();
        if (env instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getValue() instanceof String value)) {
                    throw new IllegalArgumentException("env holds only strings (\"" + e.getKey() + "\" does not)");
                }
                vars.put((String) e.getKey(), value);
            }
        } else if (env != null) {
            throw new IllegalArgumentException("env must be an object");
        }
        Integer priority = present(o, "priority") ? integer(o, "priority") : null;
        Path directory = present(o, "directory") ? Path.of(text(o, "directory")) : null;
        StopSignal stopSignal = StopSignal.TERM;
        if (present(o, "stopSignal")) {
            stopSignal = StopSignal.of(text(o, "stopSignal"));
            if (stopSignal == null) {
                throw new IllegalArgumentException("stopSignal must be TERM, INT, QUIT, HUP, USR1 or USR2");
            }
        }
        String user = present(o, "user") ? text(o, "user") : null;
        Integer umask = present(o, "umask") ? integer(o, "umask") : null;
        if (umask != null && (umask < 0 || umask > 0777)) {
            throw new IllegalArgumentException("umask must be between 0 and 0777");
        }
        return new LaunchSpec(argv, directory, vars, priority, stopSignal, user, umask);
    }

    private static List<RelayFrame.Sample> samples(Map<String, Object> o) {
        List<RelayFrame.Sample> samples = new ArrayList<>();
        for (Object s : array(o, "samples")) {
            if (!(s instanceof List<?> f) || f.size() != 3 || !(f.get(0) instanceof Long handle)
                    || handle != handle.intValue() || !(f.get(1) instanceof Long cpu) || !(f.get(2) instanceof Long rss)) {
                throw new IllegalArgumentException("a usage sample is [handle, cpuMillis, rssBytes]");
            }
            samples.add(new RelayFrame.Sample(handle.intValue(), cpu, rss));
        }
        return samples;
    }

    /** Present and not null: an optional field given as null is taken as absent. */
    private static boolean present(Map<String, Object> o, String field) {
        Object v = o.get(field);
        return v != null && v != NULL;
    }

    private static String text(Map<String, Object> o, String field) {
        if (!(o.get(field) instanceof String s)) {
            throw new IllegalArgumentException("missing text field \"" + field + "\"");
        }
        return s;
    }

    /** A whole number that fits a long ({@link #read} gives a {@link BigInteger} or a double otherwise). */
    private static long number(Map<String, Object> o, String field) {
        if (!(o.get(field) instanceof Long n)) {
            throw new IllegalArgumentException("missing whole-number field \"" + field + "\"");
        }
        return n;
    }

    private static int integer(Map<String, Object> o, String field) {
        long n = o.get(field) instanceof Long l ? l : Long.MIN_VALUE;
        if (n != (int) n) {
            throw new IllegalArgumentException("missing whole-number field \"" + field + "\"");
        }
        return (int) n;
    }

    private static List<?> array(Map<String, Object> o, String field) {
        if (!(o.get(field) instanceof List<?> list)) {
            throw new IllegalArgumentException("missing list \"" + field + "\"");
        }
        return list;
    }
}
