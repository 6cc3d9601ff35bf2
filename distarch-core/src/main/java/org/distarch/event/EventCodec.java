package org.distarch.event;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Every {@link DistarchEvent} as one JSON object, for the relay, HTTP/server-sent events and tests:
 * {@code {"event": name, ...the record's fields...}}. One table maps each event name to its record; the
 * fields come from the record's components through Jackson's record support, so a field added to a record
 * needs no change here (a new event needs one line in the table; a test fails until it has one).
 *
 * <p>Values: an {@link Instant} (the {@code time} of every event) is epoch milliseconds, a {@link Duration}
 * (e.g. {@code silence}, {@code restartIn}) is milliseconds, both JSON integers; finer precision is dropped.
 * Enums are their constant's name; {@code process} is the {@link ProcessIdentity} object, {@code exit} the
 * {@code ExitStatus} object ({@code code}, {@code signal}). Every field is written, {@code null} included.
 *
 * <p>Decoding never trusts its input: input longer than {@link #MAX_CHARS} is refused before parsing,
 * duplicate keys, a missing field, a value of the wrong type, a {@code null} where the table does not allow
 * one and an unknown event are refused with an {@link IllegalArgumentException} that says why. Unknown
 * fields are ignored (a newer peer may send more).
 */
public final class EventCodec {

    /** The longest input {@link #decode} reads, in characters: events are small. */
    public static final int MAX_CHARS = 1 << 20;

    /** Event name → record, and the fields that may be null. One line per event. */
    private static final Map<String, Entry> TABLE = table(
            entry("master_starting", MasterEvent.Starting.class),
            entry("master_started", MasterEvent.Started.class),
            entry("master_running", MasterEvent.Running.class),
            entry("master_stopped", MasterEvent.Stopped.class),
            entry("process_created", ProcessEvent.Created.class),
            entry("process_starting", ProcessEvent.Starting.class),
            entry("process_started", ProcessEvent.Started.class),
            entry("process_running", ProcessEvent.Running.class),
            entry("process_stopping", ProcessEvent.Stopping.class),
            entry("process_timedout", ProcessEvent.TimedOut.class),
            entry("process_stopped", ProcessEvent.Stopped.class, "exit", "restartIn"),
            entry("queue_feeder_listening", QueueEvent.FeederListening.class),
            entry("queue_consumers_connected", QueueEvent.ConsumersConnected.class),
            entry("queue_item_received", QueueEvent.ItemReceived.class, "item"),
            entry("queue_item_handled", QueueEvent.ItemHandled.class, "item"),
            entry("queue_item_failed", QueueEvent.ItemFailed.class, "item"));

    private static final JsonMapper JSON = EventJson.MAPPER;

    private EventCodec() {}

    /** One line of JSON (no line breaks: strings escape them). */
    public static String encode(DistarchEvent event) {
        return toJson(event).toString();
    }

    public static ObjectNode toJson(DistarchEvent event) {
        Entry entry = TABLE.get(event.name());
        if (entry == null || entry.type() != event.getClass()) {
            throw new IllegalArgumentException(
                    "event " + event.getClass().getName() + " (" + event.name() + ") is not in EventCodec's table");
        }
        ObjectNode o = JSON.createObjectNode();
        o.put("event", entry.name());
        o.setAll((ObjectNode) JSON.valueToTree(event));
        return o;
    }

    /** @throws IllegalArgumentException if {@code json} is not one event, with the reason */
    public static DistarchEvent decode(String json) {
        if (json == null) {
            throw new IllegalArgumentException("no input");
        }
        if (json.length() > MAX_CHARS) {
            throw new IllegalArgumentException("event longer than " + MAX_CHARS + " characters");
        }
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (StreamConstraintsException e) {
            throw new IllegalArgumentException("not an event: nested too deeply or a value too long");
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not JSON: " + EventJson.clean(e.getOriginalMessage()));
        }
        return fromJson(node);
    }

    /** @throws IllegalArgumentException if {@code json} is not one event, with the reason */
    public static DistarchEvent fromJson(JsonNode json) {
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException("an event is a JSON object");
        }
        JsonNode name = json.get("event");
        if (name == null || !name.isTextual()) {
            throw new IllegalArgumentException("missing text field \"event\"");
        }
        Entry entry = TABLE.get(name.textValue());
        if (entry == null) {
            throw new IllegalArgumentException("unknown event \"" + EventJson.shorten(name.textValue()) + "\"");
        }
        requirePresent(json, entry.type(), "", entry.name());
        DistarchEvent event;
        try {
            event = JSON.treeToValue(json, entry.type());
        } catch (JacksonException e) {
            throw new IllegalArgumentException(entry.name() + ": " + EventJson.reason(e, entry.type()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(entry.name() + ": invalid value");
        }
        requireNonNull((Record) event, "", entry.nullable(), entry.name());
        return event;
    }

    /** The names of every event, as in {@code "event"}. */
    public static Set<String> names() {
        return TABLE.keySet();
    }

    /** The record class of event {@code name}, or null. */
    static Class<? extends DistarchEvent> type(String name) {
        Entry e = TABLE.get(name);
        return e == null ? null : e.type();
    }

    /** The fields of event {@code name} that may be null. */
    static Set<String> nullable(String name) {
        return TABLE.get(name).nullable();
    }

    // ---- the table ----------------------------------------------------------------------------------

    private record Entry(String name, Class<? extends DistarchEvent> type, Set<String> nullable) {}

    private static Entry entry(String name, Class<? extends DistarchEvent> type, String... nullable) {
        return new Entry(name, type, Set.of(nullable));
    }

    private static Map<String, Entry> table(Entry... entries) {
        Map<String, Entry> table = new LinkedHashMap<>();
        for (Entry e : entries) {
            if (table.put(e.name(), e) != null) {
                throw new ExceptionInInitializerError("event " + e.name() + " twice in the table");
            }
        }
        return Collections.unmodifiableMap(table);
    }

    // ---- checks ---------------------------------------------------------------------------------------

    /** Refuses a missing field, recursively into nested records (Jackson would pass 0 or a null). */
    private static void requirePresent(JsonNode json, Class<?> type, String prefix, String event) {
        for (RecordComponent c : type.getRecordComponents()) {
            JsonNode value = json.get(c.getName());
            if (value == null) {
                throw new IllegalArgumentException(event + ": missing field \"" + prefix + c.getName() + "\"");
            }
            if (c.getType().isRecord() && value.isObject()) {
                requirePresent(value, c.getType(), prefix + c.getName() + ".", event);
            }
        }
    }

    /** Refuses null components, recursively into nested records, except the top-level ones allowed. */
    private static void requireNonNull(Record r, String prefix, Set<String> nullable, String event) {
        for (RecordComponent c : r.getClass().getRecordComponents()) {
            Object value;
            try {
                value = c.getAccessor().invoke(r);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            String field = prefix + c.getName();
            if (value == null) {
                if (!nullable.contains(field)) {
                    throw new IllegalArgumentException(event + ": field \"" + field + "\" must not be null");
                }
            } else if (value instanceof Record nested) {
                requireNonNull(nested, field + ".", nullable, event);
            }
        }
    }
}
