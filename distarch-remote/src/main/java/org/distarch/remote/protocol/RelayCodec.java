package org.distarch.remote.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.distarch.config.RestartConfig;
import org.distarch.event.DistarchEvent;
import org.distarch.event.MasterEvent;
import org.distarch.event.ProcessEvent;
import org.distarch.event.ProcessIdentity;
import org.distarch.event.ProcessRole;
import org.distarch.event.QueueEvent;
import org.distarch.launch.ExitStatus;
import org.distarch.launch.LaunchSpec;
import org.distarch.supervise.InstancePlan;

/**
 * The relay protocol's one codec: each {@link RelayFrame} as one line of JSON, {@code {"type": ...}}.
 * Decoding never trusts its input: a malformed line is an {@link IllegalArgumentException} with the reason,
 * and a line longer than {@link #MAX_LINE} is refused before it is parsed.
 */
public final class RelayCodec {

    /** Frames are small; a longer line means a broken or hostile peer. */
    public static final int MAX_LINE = 4 * 1024 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    private RelayCodec() {}

    public static String encode(RelayFrame frame) {
        ObjectNode o = JSON.createObjectNode();
        if (frame instanceof RelayFrame.Start s) {
            o.put("type", "start").put("host", s.host()).put("maxProcessTimeout", s.maxProcessTimeout())
                    .put("timeoutMillis", s.timeoutMillis()).put("deadAfterMillis", s.deadAfterMillis());
            ArrayNode list = o.putArray("instances");
            s.instances().forEach(p -> list.add(plan(p)));
        } else if (frame instanceof RelayFrame.Ping) {
            o.put("type", "ping");
        } else if (frame instanceof RelayFrame.Stop s) {
            o.put("type", "stop").put("reason", s.reason());
        } else if (frame instanceof RelayFrame.Kill) {
            o.put("type", "kill");
        } else if (frame instanceof RelayFrame.Log l) {
            o.put("type", "log").put("time", l.epochMillis()).put("level", l.level()).put("id", l.id())
                    .put("message", l.message());
            if (l.context() != null && !l.context().isEmpty()) {
                ObjectNode c = o.putObject("context");
                l.context().forEach(c::put);
            }
        } else if (frame instanceof RelayFrame.Event e) {
            o.put("type", "event");
            event(o, e.event());
        } else if (frame instanceof RelayFrame.Done d) {
            o.put("type", "done").put("exitCode", d.exitCode());
        }
        return o.toString();
    }

    /**
     * @param identities the master's processes by id, to rebuild events (unknown ids are refused); may be
     *                   null on the relay side, which receives no events
     */
    public static RelayFrame decode(String line, IntFunction<ProcessIdentity> identities) {
        if (line.length() > MAX_LINE) {
            throw new IllegalArgumentException("frame longer than " + MAX_LINE + " characters");
        }
        JsonNode o;
        try {
            o = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        }
        if (o == null || !o.isObject()) {
            throw new IllegalArgumentException("a frame is a JSON object");
        }
        String type = text(o, "type");
        return switch (type) {
            case "start" -> {
                List<InstancePlan> plans = new ArrayList<>();
                for (JsonNode p : array(o, "instances")) {
                    plans.add(plan(p));
                }
                yield new RelayFrame.Start(text(o, "host"), plans, o.path("maxProcessTimeout").asInt(3),
                        o.path("timeoutMillis").asLong(300_000), o.path("deadAfterMillis").asLong(5_000));
            }
            case "ping" -> new RelayFrame.Ping();
            case "stop" -> new RelayFrame.Stop(o.path("reason").asText("stop"));
            case "kill" -> new RelayFrame.Kill();
            case "log" -> new RelayFrame.Log(o.path("time").asLong(), text(o, "level"), o.path("id").asInt(),
                    text(o, "message"), stringMap(o.path("context")));
            case "event" -> new RelayFrame.Event(event(o, identities));
            case "done" -> new RelayFrame.Done(o.path("exitCode").asInt());
            default -> throw new IllegalArgumentException("unknown frame type \"" + type + "\"");
        };
    }

    // ---- instance plans ----------------------------------------------------------------------------------

    private static ObjectNode plan(InstancePlan p) {
        ObjectNode o = JSON.createObjectNode();
        identity(o, p.identity());
        ArrayNode cmd = o.putArray("argv");
        p.launch().command().forEach(cmd::add);
        if (p.launch().directory() != null) {
            o.put("directory", p.launch().directory().toString());
        }
        ObjectNode env = o.putObject("env");
        p.launch().environment().forEach(env::put);
        if (p.launch().priority() != null) {
            o.put("priority", p.launch().priority());
        }
        o.put("timeoutMillis", p.timeout().toMillis()).put("stopTimeoutMillis", p.stopTimeout().toMillis());
        RestartConfig r = p.restart();
        o.putObject("restart").put("initialBackoffMillis", r.initialBackoff().toMillis())
                .put("maxBackoffMillis", r.maxBackoff().toMillis()).put("multiplier", r.multiplier())
                .put("jitter", r.jitter()).put("resetAfterMillis", r.resetAfter().toMillis())
                .put("maxFailures", r.maxFailures());
        if (p.maxMemoryBytes() != null) {
            o.put("maxMemoryBytes", p.maxMemoryBytes());
        }
        return o;
    }

    private static InstancePlan plan(JsonNode o) {
        List<String> argv = new ArrayList<>();
        for (JsonNode w : array(o, "argv")) {
            argv.add(w.asText());
        }
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("an instance needs a command");
        }
        JsonNode r = o.path("restart");
        RestartConfig restart = new RestartConfig(Duration.ofMillis(r.path("initialBackoffMillis").asLong(1000)),
                Duration.ofMillis(r.path("maxBackoffMillis").asLong(60000)), r.path("multiplier").asDouble(2),
                r.path("jitter").asDouble(0.2), Duration.ofMillis(r.path("resetAfterMillis").asLong(60000)),
                r.path("maxFailures").asInt(5));
        LaunchSpec spec = new LaunchSpec(argv, o.hasNonNull("directory") ? Path.of(o.get("directory").asText()) : null,
                stringMap(o.path("env")), o.hasNonNull("priority") ? o.get("priority").asInt() : null);
        return new InstancePlan(identity(o), spec, Duration.ofMillis(o.path("timeoutMillis").asLong(30000)),
                Duration.ofMillis(o.path("stopTimeoutMillis").asLong(10000)), restart,
                o.hasNonNull("maxMemoryBytes") ? o.get("maxMemoryBytes").asLong() : null, null);
    }

    private static void identity(ObjectNode o, ProcessIdentity i) {
        o.put("id", i.id()).put("groupId", i.groupId()).put("groupCount", i.groupCount()).put("group", i.group())
                .put("host", i.host()).put("command", i.command()).put("role", i.role().name());
    }

    private static ProcessIdentity identity(JsonNode o) {
        ProcessRole role;
        try {
            role = ProcessRole.valueOf(o.path("role").asText("WORKER"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown role " + o.path("role").asText());
        }
        return new ProcessIdentity(o.path("id").asInt(), o.path("groupId").asInt(), o.path("groupCount").asInt(),
                text(o, "group"), text(o, "host"), text(o, "command"), role);
    }

    // ---- events ----------------------------------------------------------------------------------------

    private static void event(ObjectNode o, DistarchEvent e) {
        o.put("name", e.name()).put("time", e.time().toEpochMilli());
        if (e instanceof MasterEvent m) {
            o.put("host", m.host());
            if (m instanceof MasterEvent.Started s) {
                o.put("count", s.processCount());
            } else if (m instanceof MasterEvent.Running r) {
                o.put("count", r.runningProcesses());
            } else if (m instanceof MasterEvent.Stopped s) {
                o.put("exitCode", s.exitCode()).put("reason", s.reason());
            }
            return;
        }
        if (e instanceof QueueEvent q) {
            o.put("id", q.process().id());
            if (q instanceof QueueEvent.FeederListening l) {
                o.put("address", l.address());
            } else if (q instanceof QueueEvent.ItemReceived r) {
                o.put("itemId", r.itemId()).put("attempt", r.attempt());
            } else if (q instanceof QueueEvent.ItemHandled h) {
                o.put("itemId", h.itemId()).put("attempt", h.attempt());
            } else if (q instanceof QueueEvent.ItemFailed f) {
                o.put("itemId", f.itemId()).put("attempt", f.attempt()).put("error", f.error());
            }
            return;
        }
        ProcessEvent p = (ProcessEvent) e;
        o.put("id", p.process().id());
        if (p instanceof ProcessEvent.Starting s) {
            o.put("attempt", s.attempt());
        } else if (p instanceof ProcessEvent.Started s) {
            o.put("pid", s.pid());
        } else if (p instanceof ProcessEvent.Running r) {
            o.put("line", r.line());
        } else if (p instanceof ProcessEvent.Stopping s) {
            o.put("reason", s.reason());
        } else if (p instanceof ProcessEvent.TimedOut t) {
            o.put("silenceMillis", t.silence().toMillis()).put("consecutive", t.consecutiveTimeouts());
        } else if (p instanceof ProcessEvent.Stopped s) {
            o.put("outcome", s.outcome().name()).put("reason", s.reason());
            if (s.exit() != null) {
                o.put("exitCode", s.exit().code()).put("signal", s.exit().signal());
            }
            if (s.restartIn() != null) {
                o.put("restartInMillis", s.restartIn().toMillis());
            }
        }
    }

    private static DistarchEvent event(JsonNode o, IntFunction<ProcessIdentity> identities) {
        String name = text(o, "name");
        Instant time = Instant.ofEpochMilli(o.path("time").asLong());
        if (name.startsWith("master_")) {
            String host = text(o, "host");
            return switch (name) {
                case "master_starting" -> new MasterEvent.Starting(time, host, true);
                case "master_started" -> new MasterEvent.Started(time, host, true, o.path("count").asInt());
                case "master_running" -> new MasterEvent.Running(time, host, true, o.path("count").asInt());
                case "master_stopped" -> new MasterEvent.Stopped(time, host, true, o.path("exitCode").asInt(),
                        o.path("reason").asText(""));
                default -> throw new IllegalArgumentException("unknown event " + name);
            };
        }
        int id = o.path("id").asInt();
        ProcessIdentity who = identities == null ? null : identities.apply(id);
        if (who == null) {
            throw new IllegalArgumentException("event " + name + " for unknown process id " + id);
        }
        return switch (name) {
            case "queue_feeder_listening" -> new QueueEvent.FeederListening(time, who, o.path("address").asText(""));
            case "queue_item_received" -> new QueueEvent.ItemReceived(time, who, text(o, "itemId"),
                    o.path("attempt").asInt());
            case "queue_item_handled" -> new QueueEvent.ItemHandled(time, who, text(o, "itemId"),
                    o.path("attempt").asInt());
            case "queue_item_failed" -> new QueueEvent.ItemFailed(time, who, text(o, "itemId"),
                    o.path("attempt").asInt(), o.path("error").asText(""));
            case "process_created" -> new ProcessEvent.Created(time, who);
            case "process_starting" -> new ProcessEvent.Starting(time, who, o.path("attempt").asInt());
            case "process_started" -> new ProcessEvent.Started(time, who, o.path("pid").asLong());
            case "process_running" -> new ProcessEvent.Running(time, who, o.path("line").asText(""));
            case "process_stopping" -> new ProcessEvent.Stopping(time, who, o.path("reason").asText(""));
            case "process_timedout" -> new ProcessEvent.TimedOut(time, who,
                    Duration.ofMillis(o.path("silenceMillis").asLong()), o.path("consecutive").asInt());
            case "process_stopped" -> {
                ProcessEvent.Outcome outcome;
                try {
                    outcome = ProcessEvent.Outcome.valueOf(o.path("outcome").asText());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("unknown outcome " + o.path("outcome").asText());
                }
                ExitStatus exit = o.has("exitCode") ? new ExitStatus(o.get("exitCode").asInt(), o.path("signal").asInt())
                        : null;
                Duration restartIn = o.has("restartInMillis") ? Duration.ofMillis(o.get("restartInMillis").asLong()) : null;
                yield new ProcessEvent.Stopped(time, who, exit, outcome, o.path("reason").asText(""), restartIn);
            }
            default -> throw new IllegalArgumentException("unknown event " + name);
        };
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    private static String text(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("missing text field \"" + field + "\"");
        }
        return v.asText();
    }

    private static Iterable<JsonNode> array(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || !v.isArray()) {
            throw new IllegalArgumentException("missing list \"" + field + "\"");
        }
        return v;
    }

    private static Map<String, String> stringMap(JsonNode o) {
        Map<String, String> map = new LinkedHashMap<>();
        if (o != null && o.isObject()) {
            o.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
        }
        return map;
    }
}
