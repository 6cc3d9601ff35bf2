package org.distarch.config;

import java.util.Objects;

/**
 * One key of the configuration, as the single {@link Schema} table declares it: the validator reads its type,
 * default and bounds from here, and {@link ConfigReference} prints the same fields, so the two cannot drift.
 *
 * @param name          the key, snake_case as in the file
 * @param kind          what value the key takes
 * @param required      whether the key must be given
 * @param defaultValue  the value used when the key is absent (Integer, Double or, for strings, String), or null
 *                      for "not set"
 * @param min           the smallest allowed value (for {@link Kind#HOSTS}: the fewest hosts), or null
 * @param minExclusive  whether {@code min} itself is not allowed
 * @param max           the largest allowed value (for {@link Kind#HOSTS}: the most hosts), or null
 * @param description   one line for the reference
 * @param section       the keys of the nested map(s), for {@link Kind#MAP}, {@link Kind#LIST}, {@link Kind#NAMED}
 */
record Key(
        String name,
        Kind kind,
        boolean required,
        Object defaultValue,
        Number min,
        boolean minExclusive,
        Number max,
        String description,
        Section section) {

    /** The kinds of value a key takes. */
    enum Kind {
        /** A scalar, read as text. */
        STRING,
        /** A whole number (a string holding one is accepted, for environment variables). */
        INTEGER,
        /** A number, possibly fractional. */
        NUMBER,
        /** true or false. */
        BOOLEAN,
        /** A map of free-form values passed to the processes. */
        PARAMS,
        /** A list of host names. */
        HOSTS,
        /** A map with the keys of {@link Key#section()}. */
        MAP,
        /** A list of maps with the keys of {@link Key#section()}. */
        LIST,
        /** A map from names (chosen by the user) to maps with the keys of {@link Key#section()}. */
        NAMED,
        /** Seconds, an integer of at least {@link Key#min()}, or 0 / {@code none} for "off". */
        SECONDS_OR_NONE,
        /** A non-empty list of exit codes, 0 to 255. */
        EXIT_CODES,
        /** A map of environment variable names to scalar values (the values are never shown in messages). */
        ENVIRONMENT
    }

    Key {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(description, "description");
        boolean nested = kind == Kind.MAP || kind == Kind.LIST || kind == Kind.NAMED;
        if (nested != (section != null)) {
            throw new IllegalArgumentException(name + ": a section goes with MAP, LIST and NAMED keys only");
        }
        if (defaultValue != null && !(defaultValue instanceof String ? kind == Kind.STRING
                : defaultValue instanceof Boolean ? kind == Kind.BOOLEAN
                : defaultValue instanceof Number && (kind == Kind.INTEGER || kind == Kind.NUMBER))) {
            throw new IllegalArgumentException(name + ": a default of the wrong type for a " + kind + " key");
        }
    }

    static Key string(String name, String description) {
        return new Key(name, Kind.STRING, false, null, null, false, null, description, null);
    }

    static Key string(String name, String defaultValue, String description) {
        return new Key(name, Kind.STRING, false, defaultValue, null, false, null, description, null);
    }

    static Key requiredString(String name, String description) {
        return new Key(name, Kind.STRING, true, null, null, false, null, description, null);
    }

    static Key integer(String name, Integer defaultValue, Integer min, Integer max, String description) {
        return new Key(name, Kind.INTEGER, false, defaultValue, min, false, max, description, null);
    }

    static Key number(String name, double defaultValue, double min, boolean minExclusive, Double max,
            String description) {
        return new Key(name, Kind.NUMBER, false, defaultValue, min, minExclusive, max, description, null);
    }

    static Key bool(String name, boolean defaultValue, String description) {
        return new Key(name, Kind.BOOLEAN, false, defaultValue, null, false, null, description, null);
    }

    static Key params(String name, String description) {
        return new Key(name, Kind.PARAMS, false, null, null, false, null, description, null);
    }

    static Key hosts(String name, int min, Integer max, String description) {
        return new Key(name, Kind.HOSTS, true, null, min, false, max, description, null);
    }

    static Key secondsOrNone(String name, int min, String description) {
        return new Key(name, Kind.SECONDS_OR_NONE, false, null, min, false, null, description, null);
    }

    static Key exitCodes(String name, String description) {
        return new Key(name, Kind.EXIT_CODES, false, null, null, false, null, description, null);
    }

    static Key environment(String name, String description) {
        return new Key(name, Kind.ENVIRONMENT, false, null, null, false, null, description, null);
    }

    static Key map(String name, boolean required, Section section, String description) {
        return new Key(name, Kind.MAP, required, null, null, false, null, description, section);
    }

    static Key list(String name, Section section, String description) {
        return new Key(name, Kind.LIST, false, null, null, false, null, description, section);
    }

    static Key named(String name, Section section, String description) {
        return new Key(name, Kind.NAMED, false, null, null, false, null, description, section);
    }

    /** The default as a whole number, or null. */
    Integer defaultInteger() {
        return defaultValue instanceof Number number ? number.intValue() : null;
    }

    /** The default as a number, or null. */
    Double defaultNumber() {
        return defaultValue instanceof Number number ? number.doubleValue() : null;
    }

    /** The default of a string key, or null. */
    String defaultString() {
        return defaultValue instanceof String text ? text : null;
    }

    /** The default as the reference shows it: {@code ~} when not set, numbers as a user writes them. */
    String defaultText() {
        return switch (kind) {
            case PARAMS, ENVIRONMENT -> "{}";
            case HOSTS -> "[]";
            case EXIT_CODES -> "[0]";
            default -> defaultValue == null ? "~"
                    : defaultValue instanceof Number number ? format(number) : defaultValue.toString();
        };
    }

    /** The rule on the value, in words: {@code "integer, at least 1"}, {@code "number, 0 to 1"}, ... */
    String rule() {
        return switch (kind) {
            case STRING -> "string";
            case INTEGER -> "integer" + bounds();
            case NUMBER -> "number" + bounds();
            case BOOLEAN -> "true or false";
            case PARAMS -> "map of any values";
            case HOSTS -> min.equals(max) ? "list of exactly " + hostCount(min) : "list of at least " + hostCount(min);
            case MAP -> "map";
            case LIST -> "list of maps";
            case NAMED -> "map of name: settings";
            case SECONDS_OR_NONE -> "integer, at least " + format(min) + ", or 0 or none (off)";
            case EXIT_CODES -> "list of exit codes, 0 to 255";
            case ENVIRONMENT -> "map of NAME: value";
        };
    }

    private String bounds() {
        if (min != null && max != null && !minExclusive) {
            return ", " + format(min) + " to " + format(max);
        }
        String text = "";
        if (min != null) {
            text += minExclusive ? ", greater than " + format(min) : ", at least " + format(min);
        }
        if (max != null) {
            text += ", at most " + format(max);
        }
        return text;
    }

    private static String hostCount(Number count) {
        return count.intValue() == 1 ? "1 host" : count + " hosts";
    }

    /** A number as a user writes it: {@code 2} rather than {@code 2.0}. */
    static String format(Number number) {
        double value = number.doubleValue();
        if (value == Math.rint(value) && !Double.isInfinite(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }
}
