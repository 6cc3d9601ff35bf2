package org.distarch.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads one YAML map against its {@link Section}: reports unknown keys on creation, then hands out typed
 * values whose type, default and bounds come from the section's {@link Key}s. A value that is wrong is
 * reported at its key path and replaced by the key's default (or null), so that reading goes on and one
 * pass finds every error. An absent key, {@code ~} and an empty string all mean "not set".
 */
final class MapReader {

    /** One entry of a {@link Key.Kind#NAMED} map; {@code reader} is null when the entry is not a map. */
    record Named(String name, KeyPath path, MapReader reader) {}

    private final ObjectNode node;
    private final KeyPath path;
    private final Section section;
    private final Problems problems;
    private final Set<String> read = new HashSet<>();
    private final Set<String> invalid = new HashSet<>();

    MapReader(ObjectNode node, KeyPath path, Section section, Problems problems) {
        this.node = node;
        this.path = path;
        this.section = section;
        this.problems = problems;
        reportUnknownKeys();
    }

    /** A reader of {@code value}, which must be a map ({@code ~} counts as an empty one); else null, reported. */
    static MapReader of(JsonNode value, KeyPath path, Section section, Problems problems) {
        if (value == null || value.isNull()) {
            return new MapReader(JsonNodeFactory.instance.objectNode(), path, section, problems);
        }
        if (value instanceof ObjectNode map) {
            return new MapReader(map, path, section, problems);
        }
        problems.add(path, "must be a map (got " + Values.found(value) + ")");
        return null;
    }

    KeyPath path() {
        return path;
    }

    KeyPath path(String name) {
        return path.key(section.key(name).name());
    }

    /** Whether the file gives the key, even as {@code ~}. */
    boolean has(String name) {
        section.key(name);
        return node.has(name);
    }

    /** Whether the file gives the key as a YAML number (not a string). */
    boolean isNumber(String name) {
        section.key(name);
        return node.has(name) && node.get(name).isNumber();
    }

    /** Whether the key's value, if given, passed its checks. */
    boolean valid(String name) {
        return !invalid.contains(name);
    }

    String string(String name) {
        Key key = declared(name, Key.Kind.STRING);
        JsonNode value = given(key);
        if (value == null) {
            return key.defaultString();
        }
        if (!value.isValueNode()) {
            return fail(key, "must be a string (got " + Values.found(value) + ")", key.defaultString());
        }
        return value.asText();
    }

    Integer integer(String name) {
        Key key = declared(name, Key.Kind.INTEGER);
        Integer fallback = key.defaultInteger();
        JsonNode value = given(key);
        if (value == null) {
            return fallback;
        }
        Number number = Values.wholeNumber(value);
        if (number == null) {
            return fail(key, "must be an integer (got " + Values.found(value) + ")", fallback);
        }
        String violation = Values.outOfBounds(key, number);
        return violation == null ? Integer.valueOf(number.intValue()) : fail(key, violation, fallback);
    }

    Double number(String name) {
        Key key = declared(name, Key.Kind.NUMBER);
        Double fallback = key.defaultNumber();
        JsonNode value = given(key);
        if (value == null) {
            return fallback;
        }
        Double number = Values.number(value);
        if (number == null) {
            return fail(key, "must be a number (got " + Values.found(value) + ")", fallback);
        }
        String violation = Values.outOfBounds(key, number);
        return violation == null ? number : fail(key, violation, fallback);
    }

    /** Seconds of at least the key's minimum, or 0 for {@code 0} and {@code none} ("off"); null when not set. */
    Integer secondsOrNone(String name) {
        Key key = declared(name, Key.Kind.SECONDS_OR_NONE);
        JsonNode value = given(key);
        if (value == null) {
            return null;
        }
        if (value.isTextual() && value.textValue().trim().equalsIgnoreCase("none")) {
            return 0;
        }
        Number number = Values.wholeNumber(value);
        String hint = ", or 0 or none to turn it off";
        if (number == null) {
            return fail(key, "must be an integer" + hint + " (got " + Values.found(value) + ")", null);
        }
        if (number.longValue() == 0 && number.doubleValue() == 0) {
            return 0;
        }
        String violation = Values.outOfBounds(key, number);
        if (violation != null) {
            return fail(key, violation.replaceFirst(" \\(got", hint + " (got"), null);
        }
        return number.intValue();
    }

    /** The exit codes of the key (0 to 255, at least one), or null when not set. */
    java.util.Set<Integer> exitCodes(String name) {
        Key key = declared(name, Key.Kind.EXIT_CODES);
        JsonNode value = given(key);
        if (value == null) {
            return null;
        }
        if (!value.isArray()) {
            Number single = Values.wholeNumber(value);
            if (single == null) {
                return fail(key, "must be a list of exit codes such as [0, 2] (got " + Values.found(value) + ")", null);
            }
            value = JsonNodeFactory.instance.arrayNode().add(value);
        }
        if (value.isEmpty()) {
            return fail(key, "must list at least one exit code", null);
        }
        java.util.Set<Integer> codes = new java.util.LinkedHashSet<>();
        for (int i = 0; i < value.size(); i++) {
            Number code = Values.wholeNumber(value.get(i));
            boolean inRange = code != null && new java.math.BigDecimal(code.toString()).signum() >= 0
                    && new java.math.BigDecimal(code.toString()).compareTo(java.math.BigDecimal.valueOf(255)) <= 0;
            if (!inRange) {
                problems.add(path.key(name).index(i), "must be an exit code, 0 to 255 (got "
                        + Values.found(value.get(i)) + ")");
                invalid.add(name);
            } else {
                codes.add(code.intValue());
            }
        }
        return invalid.contains(name) ? null : codes;
    }

    /**
     * The variables of the key, in file order; empty when not set. Names must be valid variable names and not
     * the master's own {@code DA_} ones; values are scalars. Messages name the variable, never its value.
     */
    Map<String, String> environment(String name) {
        Key key = declared(name, Key.Kind.ENVIRONMENT);
        JsonNode value = given(key);
        if (value == null) {
            return Map.of();
        }
        if (!value.isObject()) {
            return fail(key, "must be a map of NAME: value (got " + Values.found(value) + ")", Map.of());
        }
        Map<String, String> variables = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : value.properties()) {
            KeyPath at = path.key(name).key(entry.getKey());
            String variable = entry.getKey();
            JsonNode v = entry.getValue();
            if (!variable.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                problems.add(at, "must be an environment variable name: letters, digits and _, not starting with "
                        + "a digit");
                invalid.add(name);
            } else if (variable.startsWith("DA_")) {
                problems.add(at, "DA_ variables are the master's own (they tell a worker who it is): choose "
                        + "another name");
                invalid.add(name);
            } else if (v == null || v.isNull()) {
                problems.add(at, "must have a value (write \"\" for an empty one)");
                invalid.add(name);
            } else if (!v.isValueNode()) {
                problems.add(at, "must be a single value, not " + (v.isArray() ? "a list" : "a map"));
                invalid.add(name);
            } else {
                variables.put(variable, v.asText());
            }
        }
        return variables;
    }

    /** true or false (also written as a string, for environment variables); anything else is reported. */
    boolean bool(String name) {
        Key key = declared(name, Key.Kind.BOOLEAN);
        boolean fallback = Boolean.TRUE.equals(key.defaultValue());
        JsonNode value = given(key);
        if (value == null) {
            return fallback;
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isTextual() && (value.textValue().trim().equals("true") || value.textValue().trim().equals("false"))) {
            return Boolean.parseBoolean(value.textValue().trim());
        }
        return fail(key, "must be true or false (got " + Values.found(value) + ")", fallback);
    }

    List<String> hosts(String name) {
        Key key = declared(name, Key.Kind.HOSTS);
        JsonNode value = given(key);
        if (value == null) {
            return List.of();
        }
        if (!value.isArray()) {
            return fail(key, "must be a list of host names (got " + Values.found(value) + ")", List.of());
        }
        List<String> hosts = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            JsonNode host = value.get(i);
            if (!host.isTextual() || host.textValue().isBlank()) {
                problems.add(path.key(name).index(i), "must be a host name (got " + Values.found(host) + ")");
                invalid.add(name);
            } else {
                hosts.add(host.textValue());
            }
        }
        int min = key.min().intValue();
        if (key.max() != null && min == key.max().intValue() && value.size() != min) {
            return fail(key, "must contain exactly " + hostCount(min) + " (got " + value.size() + ")", List.copyOf(hosts));
        }
        if (value.size() < min) {
            return fail(key, "must not be empty: list at least " + hostCount(min), List.of());
        }
        if (key.max() != null && value.size() > key.max().intValue()) {
            return fail(key, "must contain at most " + hostCount(key.max().intValue()) + " (got " + value.size() + ")",
                    List.copyOf(hosts));
        }
        return List.copyOf(hosts);
    }

    Map<String, Object> params(String name) {
        Key key = declared(name, Key.Kind.PARAMS);
        JsonNode value = given(key);
        if (value == null) {
            return Map.of();
        }
        if (!value.isObject()) {
            return fail(key, "must be a map (got " + Values.found(value) + ")", Map.of());
        }
        int before = problems.count();
        @SuppressWarnings("unchecked")
        Map<String, Object> params = (Map<String, Object>) Values.plain(value, path.key(name), problems);
        if (problems.count() > before) {
            invalid.add(name);
        }
        return params;
    }

    /** The nested map {@code name}: null when absent (reported if required) or not a map (reported). */
    MapReader map(String name) {
        Key key = declared(name, Key.Kind.MAP);
        if (!node.has(name)) {
            if (key.required()) {
                fail(key, "is required", null);
            }
            return null;
        }
        MapReader reader = of(node.get(name), path.key(name), key.section(), problems);
        if (reader == null) {
            invalid.add(name);
        }
        return reader;
    }

    /** The list of maps {@code name}, empty when absent; elements that are not maps are reported and skipped. */
    List<MapReader> list(String name) {
        Key key = declared(name, Key.Kind.LIST);
        JsonNode value = given(key);
        if (value == null) {
            return List.of();
        }
        if (!value.isArray()) {
            return fail(key, "must be a list of maps, each element starting with \"- \" (got "
                    + Values.found(value) + ")", List.of());
        }
        List<MapReader> readers = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            MapReader reader = of(value.get(i), path.key(name).index(i), key.section(), problems);
            if (reader == null) {
                invalid.add(name);
            } else {
                readers.add(reader);
            }
        }
        return readers;
    }

    /** The entries of the map of names {@code name}, in file order; empty when absent. */
    List<Named> named(String name) {
        Key key = declared(name, Key.Kind.NAMED);
        JsonNode value = given(key);
        if (value == null) {
            return List.of();
        }
        if (!value.isObject()) {
            return fail(key, "must be a map of name: settings (got " + Values.found(value) + ")", List.of());
        }
        List<Named> entries = new ArrayList<>();
        for (Map.Entry<String, JsonNode> entry : value.properties()) {
            KeyPath at = path.key(name).key(entry.getKey());
            entries.add(new Named(entry.getKey(), at, of(entry.getValue(), at, key.section(), problems)));
        }
        return entries;
    }

    /** Checks that the validator asked for every key of the section: a key it ignored would be a silent no-op. */
    void done() {
        if (!read.containsAll(section.names())) {
            Set<String> missed = new HashSet<>(section.names());
            missed.removeAll(read);
            throw new IllegalStateException("validator bug: keys " + missed + " of section " + section.name()
                    + " were never read");
        }
    }

    private Key declared(String name, Key.Kind kind) {
        Key key = section.key(name);
        if (key.kind() != kind) {
            throw new IllegalStateException(section.name() + "." + name + " is " + key.kind() + ", not " + kind);
        }
        read.add(name);
        return key;
    }

    /** The key's value, or null when not set (reported when the key is required). */
    private JsonNode given(Key key) {
        JsonNode value = node.get(key.name());
        boolean unset = value == null || value.isNull() || (value.isTextual() && value.textValue().isBlank());
        if (unset) {
            if (key.required()) {
                fail(key, value == null || value.isNull() ? "is required" : "must not be blank", null);
            }
            return null;
        }
        return value;
    }

    private <T> T fail(Key key, String message, T fallback) {
        problems.add(path.key(key.name()), message);
        invalid.add(key.name());
        return fallback;
    }

    private void reportUnknownKeys() {
        for (String name : (Iterable<String>) node::fieldNames) {
            if (!section.declares(name)) {
                String hint = Suggestions.closest(name, section.names())
                        .map(known -> "did you mean \"" + known + "\"?")
                        .orElse("expected one of: " + String.join(", ", section.names()));
                problems.add(path.key(name), "unknown key \"" + name + "\" (" + hint + ")");
            }
        }
    }

    private static String hostCount(int count) {
        return count == 1 ? "1 host" : count + " hosts";
    }
}
