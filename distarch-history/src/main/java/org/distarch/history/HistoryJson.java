package org.distarch.history;

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

    private HistoryJson() {}

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
