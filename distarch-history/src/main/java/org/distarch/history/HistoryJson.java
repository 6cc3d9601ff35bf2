package org.distarch.history;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The history's records as JSON, the way the events are ({@code EventCodec}): times epoch milliseconds,
 * durations milliseconds, every field written ({@code null} included); an entry starts with its
 * {@code "kind"} ({@code transition}, {@code exit}, ...).
 */
public final class HistoryJson {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .enable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DATE_TIMESTAMPS_AS_NANOSECONDS)
            .build();

    /** Reads what {@link #MAPPER} wrote: numbers as epoch milliseconds and milliseconds, unknown fields ignored. */
    private static final JsonMapper READER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(DeserializationFeature.READ_DATE_TIMESTAMPS_AS_NANOSECONDS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private HistoryJson() {}

    /**
     * An entry as {@link #entry} wrote it, its class chosen by {@code "kind"}.
     *
     * @throws IllegalArgumentException for an unknown kind or a field of the wrong type
     */
    public static HistoryEntry readEntry(JsonNode node) {
        HistoryKind kind = HistoryKind.parse(node.path("kind").asText());
        Class<? extends HistoryEntry> type = switch (kind) {
            case TRANSITION -> HistoryEntry.Transition.class;
            case EXIT -> HistoryEntry.Exit.class;
            case ACTION -> HistoryEntry.Action.class;
            case RELAY -> HistoryEntry.Relay.class;
            case QUEUE_TOTALS -> HistoryEntry.QueueTotals.class;
        };
        return read(node, type);
    }

    /** A run, a process summary, or any record {@link #object} wrote. */
    public static <T> T read(JsonNode node, Class<T> type) {
        try {
            return READER.treeToValue(node, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a history " + type.getSimpleName() + ": " + e.getOriginalMessage(),
                    e);
        }
    }

    public static JsonMapper mapper() {
        return MAPPER;
    }

    /** An entry as an object, {@code "kind"} first. */
    public static ObjectNode entry(HistoryEntry e) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("kind", e.kind().label());
        node.setAll((ObjectNode) MAPPER.valueToTree(e));
        return node;
    }

    /** Any of the history's records (a run, a process summary, a page) as an object. */
    public static ObjectNode object(Object record) {
        return MAPPER.valueToTree(record);
    }
}
