package org.distarch.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Conversions of YAML tree values: numbers written as numbers or strings, bounds, plain Java values. */
final class Values {

    private static final Pattern WHOLE = Pattern.compile("[-+]?[0-9]+");
    private static final Pattern DECIMAL = Pattern.compile("[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]+)?");
    private static final int MAX_SHOWN = 60;

    private Values() {}

    /** How a wrong value is shown in a message: {@code "two"}, {@code 5}, {@code true}, {@code a map}. */
    static String found(JsonNode value) {
        if (value.isTextual()) {
            String text = value.textValue();
            if (text.length() > MAX_SHOWN) {
                text = text.substring(0, MAX_SHOWN) + "...";
            }
            return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
        }
        if (value.isObject()) {
            return value.isEmpty() ? "an empty map" : "a map";
        }
        if (value.isArray()) {
            return value.isEmpty() ? "an empty list" : "a list";
        }
        if (value.isNull()) {
            return "nothing";
        }
        if (value.isFloatingPointNumber() && !Double.isFinite(value.doubleValue())) {
            double number = value.doubleValue();
            return Double.isNaN(number) ? ".nan" : number > 0 ? ".inf" : "-.inf";
        }
        return value.asText();
    }

    /** The whole number in {@code value} (a number, or a string holding one), else null. */
    static Number wholeNumber(JsonNode value) {
        if (value.isIntegralNumber()) {
            return value.canConvertToLong() ? (Number) value.longValue() : value.bigIntegerValue();
        }
        if (value.isTextual() && WHOLE.matcher(value.textValue().trim()).matches()) {
            return new BigDecimal(value.textValue().trim()).toBigInteger();
        }
        return null;
    }

    /** The finite number in {@code value} (a number, or a string holding one), else null. */
    static Double number(JsonNode value) {
        if (value.isNumber()) {
            double number = value.doubleValue();
            return Double.isFinite(number) ? number : null;
        }
        if (value.isTextual() && DECIMAL.matcher(value.textValue().trim()).matches()) {
            return Double.parseDouble(value.textValue().trim());
        }
        return null;
    }

    /** Why {@code number} breaks the key's bounds (or, for integers, Java's int range), else null. */
    static String outOfBounds(Key key, Number number) {
        BigDecimal value = new BigDecimal(number.toString());
        Number min = key.min();
        Number max = key.max();
        if (key.kind() == Key.Kind.INTEGER || key.kind() == Key.Kind.SECONDS_OR_NONE) {
            min = min != null ? min : Integer.MIN_VALUE;
            max = max != null ? max : Integer.MAX_VALUE;
        }
        String got = " (got " + (number instanceof Double d ? Key.format(d) : number.toString()) + ")";
        boolean belowMin = min != null && (key.minExclusive()
                ? value.compareTo(decimal(min)) <= 0
                : value.compareTo(decimal(min)) < 0);
        boolean aboveMax = max != null && value.compareTo(decimal(max)) > 0;
        if (!belowMin && !aboveMax) {
            return null;
        }
        if (key.min() != null && key.max() != null && !key.minExclusive()) {
            return "must be between " + Key.format(min) + " and " + Key.format(max) + got;
        }
        if (belowMin) {
            return (key.minExclusive() ? "must be greater than " : "must be at least ") + Key.format(min) + got;
        }
        return "must be at most " + Key.format(max) + got;
    }

    private static BigDecimal decimal(Number number) {
        return new BigDecimal(number.toString());
    }

    /**
     * {@code value} as plain Java values for {@code params}: maps keep their order, integers become Integer
     * (or Long when larger), decimals Double; {@code ~} stays null. Containers are unmodifiable.
     */
    static Object plain(JsonNode value, KeyPath path, Problems problems) {
        if (value.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> entry : value.properties()) {
                map.put(entry.getKey(), plain(entry.getValue(), path.key(entry.getKey()), problems));
            }
            return Collections.unmodifiableMap(map);
        }
        if (value.isArray()) {
            List<Object> list = new ArrayList<>();
            for (int i = 0; i < value.size(); i++) {
                list.add(plain(value.get(i), path.index(i), problems));
            }
            return Collections.unmodifiableList(list);
        }
        if (value.isIntegralNumber()) {
            if (value.canConvertToInt()) {
                return value.intValue();
            }
            if (value.canConvertToLong()) {
                return value.longValue();
            }
            problems.add(path, "integer too large (got " + value.asText() + "); quote it to pass it as a string");
            return null;
        }
        if (value.isNumber()) {
            if (!Double.isFinite(value.doubleValue())) {
                problems.add(path, "must be a finite number (got " + found(value)
                        + "); quote it to pass it as a string");
                return null;
            }
            return value.doubleValue();
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isNull()) {
            return null;
        }
        return value.asText();
    }
}
