package org.distarch.worker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.distarch.worker.protocol.WorkerEnv;

/**
 * A worker's identity read from its environment ({@link WorkerEnv}). Only {@code DA_ID} is
 * required; the others default to a lone local instance with the seed's 30 s timeout, and the
 * group's unset settings ({@code DA_PATH}, {@code DA_BIN_PATH}, {@code DA_PRIORITY}) are empty.
 */
record WorkerIdentity(
        int id,
        int groupId,
        int groupCount,
        String host,
        GroupView group,
        String command,
        String protocol,
        Duration orphanGrace) {

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    static final Duration DEFAULT_ORPHAN_GRACE = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** True when the environment says a master started this process. */
    public static boolean present(Map<String, String> env) {
        String id = env.get(WorkerEnv.ID);
        return id != null && !id.isBlank();
    }

    /**
     * Reads the identity.
     *
     * @throws IllegalArgumentException naming the variable at fault
     */
    public static WorkerIdentity parse(Map<String, String> env, String commandName) {
        int id = positiveInt(env, WorkerEnv.ID, null);
        int groupId = positiveInt(env, WorkerEnv.GROUP_ID, 1);
        int groupCount = positiveInt(env, WorkerEnv.GROUP_COUNT, Math.max(1, groupId));
        GroupView group = new GroupView(
                env.getOrDefault(WorkerEnv.GROUP_NAME, ""),
                orDefault(env.get(WorkerEnv.GROUP_COMMAND), commandName),
                optional(env.get(WorkerEnv.PATH)),
                optional(env.get(WorkerEnv.BIN_PATH)),
                priority(env.get(WorkerEnv.PRIORITY)),
                seconds(env, WorkerEnv.TIMEOUT, DEFAULT_TIMEOUT),
                params(env.get(WorkerEnv.PARAMS)));
        return new WorkerIdentity(
                id,
                groupId,
                groupCount,
                orDefault(env.get(WorkerEnv.HOST), "localhost"),
                group,
                orDefault(env.get(WorkerEnv.COMMAND), commandName + "/" + id + "/" + groupId),
                orDefault(env.get(WorkerEnv.PROTOCOL), WorkerEnv.PROTOCOL_VERSION),
                seconds(env, WorkerEnv.ORPHAN_GRACE, DEFAULT_ORPHAN_GRACE));
    }

    String groupName() {
        return group.name();
    }

    Map<String, Object> params() {
        return group.params();
    }

    Duration timeout() {
        return group.timeout();
    }

    /** Ping when nothing was written for this long: timeout/3 clamped to 1…5 s. */
    public Duration pingInterval() {
        Duration third = timeout().dividedBy(3);
        if (third.compareTo(Duration.ofSeconds(1)) < 0) {
            return Duration.ofSeconds(1);
        }
        return third.compareTo(Duration.ofSeconds(5)) > 0 ? Duration.ofSeconds(5) : third;
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }

    private static Optional<String> optional(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    private static OptionalInt priority(String text) {
        if (text == null || text.isBlank()) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseInt(text.strip()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(WorkerEnv.PRIORITY + " must be an integer, got '" + text + "'", e);
        }
    }

    private static int positiveInt(Map<String, String> env, String name, Integer fallback) {
        String text = env.get(name);
        if (text == null || text.isBlank()) {
            if (fallback == null) {
                throw new IllegalArgumentException(name + " is missing");
            }
            return fallback;
        }
        try {
            int value = Integer.parseInt(text.strip());
            if (value < 1) {
                throw new IllegalArgumentException(name + " must be at least 1, got " + text);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer, got '" + text + "'", e);
        }
    }

    private static Duration seconds(Map<String, String> env, String name, Duration fallback) {
        String text = env.get(name);
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            double seconds = Double.parseDouble(text.strip());
            if (!(seconds >= 0) || Double.isInfinite(seconds)) {
                throw new NumberFormatException();
            }
            return Duration.ofNanos((long) (seconds * 1_000_000_000L));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number of seconds, got '" + text + "'", e);
        }
    }

    private static Map<String, Object> params(String json) {
        if (json == null || json.isBlank()) {
            return Map.of();
        }
        Map<String, Object> parsed;
        try {
            parsed = JSON.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(WorkerEnv.PARAMS + " must be a JSON object: "
                    + e.getOriginalMessage(), e);
        }
        if (parsed == null) {
            return Map.of();
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> frozen = (Map<String, Object>) freeze(parsed);
        return frozen;
    }

    /** Deep unmodifiable copy, order kept. */
    private static Object freeze(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(k, freeze(v)));
            return Collections.unmodifiableMap(copy);
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(v -> copy.add(freeze(v)));
            return Collections.unmodifiableList(copy);
        }
        return value;
    }
}
