package org.distarch.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${NAME}} and {@code ${NAME:-default}} in string values by the environment's values;
 * {@code $${} stands for a literal {@code ${}. As in a shell, the default is used when the variable is
 * unset or empty. Runs over the whole tree before any type check, so {@code port: ${PORT:-9999}} works.
 */
final class EnvSubstitution {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final Function<String, String> env;
    private final Problems problems;

    EnvSubstitution(Function<String, String> env, Problems problems) {
        this.env = env;
        this.problems = problems;
    }

    /** Substitutes in every string value under {@code node}, in place; map keys are left alone. */
    void resolveTree(JsonNode node, KeyPath path) {
        if (node instanceof ObjectNode map) {
            for (Map.Entry<String, JsonNode> field : map.properties()) {
                KeyPath at = path.key(field.getKey());
                JsonNode value = field.getValue();
                if (value.isTextual()) {
                    field.setValue(resolveText(value, at));
                } else {
                    resolveTree(value, at);
                }
            }
        } else if (node instanceof ArrayNode list) {
            for (int i = 0; i < list.size(); i++) {
                JsonNode value = list.get(i);
                if (value.isTextual()) {
                    list.set(i, resolveText(value, path.index(i)));
                } else {
                    resolveTree(value, path.index(i));
                }
            }
        }
    }

    private JsonNode resolveText(JsonNode text, KeyPath at) {
        String value = text.textValue();
        if (value.indexOf('$') < 0) {
            return text;
        }
        try {
            return TextNode.valueOf(substitute(value));
        } catch (IllegalArgumentException e) {
            problems.add(at, e.getMessage());
            return text;
        }
    }

    /** The text with every reference replaced; throws IllegalArgumentException with a user message. */
    String substitute(String text) {
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '$' && text.startsWith("$${", i)) {
                out.append("${");
                i += 3;
            } else if (c == '$' && text.startsWith("${", i)) {
                int end = text.indexOf('}', i + 2);
                if (end < 0) {
                    throw new IllegalArgumentException(
                            "unterminated environment variable reference \"" + text.substring(i)
                                    + "\" (write $${ for a literal ${)");
                }
                out.append(lookup(text.substring(i + 2, end)));
                i = end + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private String lookup(String reference) {
        int colon = reference.indexOf(":-");
        String name = colon < 0 ? reference : reference.substring(0, colon);
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid environment variable reference \"${" + reference
                    + "}\" (expected ${NAME} or ${NAME:-default}; write $${ for a literal ${)");
        }
        String value = env.apply(name);
        if (colon >= 0) {
            return value == null || value.isEmpty() ? reference.substring(colon + 2) : value;
        }
        if (value == null) {
            throw new IllegalArgumentException("environment variable " + name
                    + " is not set (set it, or give a default: ${" + name + ":-default})");
        }
        return value;
    }
}
