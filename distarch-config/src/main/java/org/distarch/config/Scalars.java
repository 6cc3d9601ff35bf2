package org.distarch.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigInteger;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Types a YAML scalar by the YAML 1.1 rules (the same ones Jackson's YAML parser applied before): a plain
 * {@code true}/{@code yes}/{@code on} is a boolean, {@code ~}/{@code null}/nothing is null, {@code 12},
 * {@code 0x1F}, {@code 012}, {@code 1_000} are integers, {@code 1.5}, {@code 1e3}, {@code .inf}, {@code .nan}
 * are numbers; a quoted value is a string; {@code !!str}, {@code !!int}, {@code !!float}, {@code !!bool},
 * {@code !!null} tags are honoured when the value fits them. Sexagesimal values ({@code 1:30}) stay strings.
 */
final class Scalars {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String CORE_TAG = "tag:yaml.org,2002:";
    private static final Pattern INFINITY = Pattern.compile("[-+]?\\.(inf|Inf|INF)");
    private static final Pattern NAN = Pattern.compile("\\.(nan|NaN|NAN)");
    private static final Pattern INTEGER = Pattern.compile("[-+]?(0|[1-9][0-9_]*|0[bB][01_]+|0[xX][0-9a-fA-F_]+|0[0-7_]+)");
    private static final Pattern BOOLEAN_TRUE = Pattern.compile("y|Y|yes|Yes|YES|true|True|TRUE|on|On|ON");
    private static final Pattern BOOLEAN_FALSE = Pattern.compile("n|N|no|No|NO|false|False|FALSE|off|Off|OFF");
    /** Longer whole numbers are refused: converting them costs time quadratic in their length. */
    static final int MAX_DIGITS = 1000;

    private final Resolver resolver = new Resolver();
    private final Problems problems;

    Scalars(Problems problems) {
        this.problems = problems;
    }

    JsonNode value(ScalarEvent scalar, KeyPath path) {
        String text = scalar.getValue();
        String tag = scalar.getTag();
        if (tag == null || tag.equals("!")) {
            Tag resolved = resolver.resolve(NodeId.scalar, text, scalar.getImplicit().canOmitTagInPlainScalar());
            if (Tag.INT.equals(resolved)) {
                return integer(text, path);
            } else if (Tag.FLOAT.equals(resolved)) {
                return decimal(text);
            } else if (Tag.BOOL.equals(resolved)) {
                return bool(text);
            } else if (Tag.NULL.equals(resolved)) {
                return NODES.nullNode();
            }
            return NODES.textNode(text);
        }
        String type = tag.startsWith(CORE_TAG) ? tag.substring(CORE_TAG.length()) : tag;
        String trimmed = text.trim();
        return switch (type) {
            case "bool" -> bool(trimmed);
            case "int" -> trimmed.isEmpty() ? NODES.textNode(text) : integer(trimmed, path);
            case "float" -> trimmed.isEmpty() ? NODES.textNode(text) : decimal(trimmed);
            case "null" -> trimmed.isEmpty() ? NODES.textNode(text) : NODES.nullNode();
            default -> NODES.textNode(text); // !!str, !!binary (its base64 text), !!timestamp, own tags
        };
    }

    private static JsonNode bool(String text) {
        if (BOOLEAN_TRUE.matcher(text).matches()) {
            return NODES.booleanNode(true);
        }
        return BOOLEAN_FALSE.matcher(text).matches() ? NODES.booleanNode(false) : NODES.textNode(text);
    }

    private JsonNode integer(String text, KeyPath path) {
        if (!INTEGER.matcher(text).matches()) {
            return NODES.textNode(text); // e.g. sexagesimal 1:30, or !!int on a word
        }
        boolean negative = text.charAt(0) == '-';
        String digits = text.charAt(0) == '-' || text.charAt(0) == '+' ? text.substring(1) : text;
        int radix = 10;
        if (digits.length() > 1 && digits.charAt(0) == '0') {
            char kind = digits.charAt(1);
            radix = kind == 'b' || kind == 'B' ? 2 : kind == 'x' || kind == 'X' ? 16 : 8;
            digits = digits.substring(radix == 8 ? 1 : 2);
        }
        digits = digits.replace("_", "");
        if (digits.isEmpty()) {
            return NODES.textNode(text);
        }
        if (digits.length() > MAX_DIGITS) {
            problems.add(path, "integer too long (" + digits.length() + " digits; at most " + MAX_DIGITS + ")");
            return NODES.nullNode();
        }
        BigInteger number = new BigInteger(digits, radix);
        number = negative ? number.negate() : number;
        if (number.bitLength() < 32) {
            return NODES.numberNode(number.intValue());
        }
        return number.bitLength() < 64 ? NODES.numberNode(number.longValue()) : NODES.numberNode(number);
    }

    private static JsonNode decimal(String text) {
        if (INFINITY.matcher(text).matches()) {
            return NODES.numberNode(text.charAt(0) == '-' ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
        }
        if (NAN.matcher(text).matches()) {
            return NODES.numberNode(Double.NaN);
        }
        if (text.indexOf(':') >= 0) {
            return NODES.textNode(text); // sexagesimal 1:30.5
        }
        try {
            return NODES.numberNode(Double.parseDouble(text.replace("_", "")));
        } catch (NumberFormatException e) {
            return NODES.textNode(text);
        }
    }

    /**
     * A parser message as words a user reads: one line, and never a Java class name (the YAML library names
     * its events and exceptions in a few messages).
     */
    static String plainWords(String message) {
        if (message == null || message.isBlank()) {
            return "unreadable YAML";
        }
        String words = String.join(" ", message.trim().split("\\s*\\R\\s*"));
        words = words.replaceAll("<?(org|com|java)\\.[A-Za-z0-9_.$]+\\.([A-Z][A-Za-z0-9_]*)(\\([^)]*\\))?>?",
                "$2");
        words = words.replace("AliasEvent", "an alias").replace("MappingStartEvent", "a map")
                .replace("SequenceStartEvent", "a list").replace("ScalarEvent", "a value");
        return words.replaceAll("[A-Za-z]*Exception:?\\s*", "").trim();
    }
}
