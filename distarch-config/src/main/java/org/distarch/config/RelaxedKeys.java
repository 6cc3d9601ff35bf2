package org.distarch.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renames the keys of a tree that a framework with relaxed binding read (Spring Boot's {@code instances-count},
 * {@code instancesCount}) to the schema's snake_case, so that the one validator sees the same tree as from a
 * seed file. Only the schema's own keys are renamed: group names and {@code params} are the user's data and
 * stay as written. Two spellings of one key in one map are an error at that key path.
 */
final class RelaxedKeys {

    private final Problems problems;

    RelaxedKeys(Problems problems) {
        this.problems = problems;
    }

    /** Renames in place the keys of {@code node}, a map of {@code section}, and of every map below it. */
    void canonicalize(ObjectNode node, Section section, KeyPath path) {
        Map<String, String> renames = new LinkedHashMap<>();
        Map<String, String> spelledAs = new LinkedHashMap<>();
        for (String given : (Iterable<String>) node::fieldNames) {
            String canonical = canonical(given);
            if (!section.declares(canonical)) {
                continue; // unknown: the validator reports it, with its did-you-mean
            }
            String earlier = spelledAs.putIfAbsent(canonical, given);
            if (earlier != null) {
                problems.add(path.key(canonical), "given twice, as \"" + earlier + "\" and \"" + given + "\"");
            } else if (!given.equals(canonical)) {
                renames.put(given, canonical);
            }
        }
        List<String> order = new ArrayList<>();
        node.fieldNames().forEachRemaining(order::add);
        ObjectNode renamed = node.objectNode();
        for (String given : order) {
            String name = renames.getOrDefault(given, given);
            if (!renamed.has(name)) {
                renamed.set(name, node.get(given));
            }
        }
        node.removeAll();
        node.setAll(renamed);
        for (Key key : section.keys()) {
            JsonNode value = node.get(key.name());
            if (value != null) {
                descend(key, value, path.key(key.name()));
            }
        }
    }

    private void descend(Key key, JsonNode value, KeyPath path) {
        switch (key.kind()) {
            case MAP -> {
                if (value instanceof ObjectNode map) {
                    canonicalize(map, key.section(), path);
                }
            }
            case LIST -> {
                if (value instanceof ArrayNode list) {
                    for (int i = 0; i < list.size(); i++) {
                        if (list.get(i) instanceof ObjectNode map) {
                            canonicalize(map, key.section(), path.index(i));
                        }
                    }
                }
            }
            case NAMED -> {
                if (value instanceof ObjectNode names) {
                    for (Map.Entry<String, JsonNode> entry : names.properties()) {
                        if (entry.getValue() instanceof ObjectNode map) {
                            canonicalize(map, key.section(), path.key(entry.getKey()));
                        }
                    }
                }
            }
            default -> { } // scalars, hosts and params: nothing of the schema below them
        }
    }

    /** {@code instances-count}, {@code instancesCount}, {@code INSTANCES_COUNT}: all {@code instances_count}. */
    static String canonical(String key) {
        StringBuilder out = new StringBuilder(key.length() + 4);
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c == '-') {
                out.append('_');
            } else if (Character.isUpperCase(c)) {
                boolean wordStart = i > 0 && Character.isLowerCase(key.charAt(i - 1));
                if (wordStart) {
                    out.append('_');
                }
                out.append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
