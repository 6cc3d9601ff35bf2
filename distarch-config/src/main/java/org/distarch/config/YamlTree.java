package org.distarch.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLAnchorReplayingFactory;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads YAML text into a Jackson tree, token by token, so that a key given twice in one map is reported
 * (with both lines) instead of silently overwritten, and a syntax error is reported with its line and column.
 * Anchors and aliases are replayed; a document holding nothing yields {@code null}.
 */
final class YamlTree {

    private static final YAMLAnchorReplayingFactory FACTORY = new YAMLAnchorReplayingFactory();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Problems problems;

    private YamlTree(Problems problems) {
        this.problems = problems;
    }

    /** The tree of {@code text}, or null when it is empty or broken (the problems then say why). */
    static JsonNode read(String text, Problems problems) {
        return new YamlTree(problems).read(text);
    }

    private JsonNode read(String text) {
        try (JsonParser parser = FACTORY.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return null;
            }
            JsonNode root = value(parser, KeyPath.ROOT);
            if (parser.nextToken() != null) {
                JsonLocation at = parser.currentTokenLocation();
                problems.addAt(at.getLineNr(), at.getColumnNr(),
                        "YAML syntax error: the file holds more than one YAML document; keep one");
                return null;
            }
            return root;
        } catch (StreamReadException e) {
            syntaxError(e);
            return null;
        } catch (IOException e) {
            problems.add(KeyPath.ROOT, "cannot read the YAML: " + e.getMessage());
            return null;
        }
    }

    private JsonNode value(JsonParser parser, KeyPath path) throws IOException {
        JsonToken token = parser.currentToken();
        switch (token) {
            case START_OBJECT:
                return map(parser, path);
            case START_ARRAY:
                return list(parser, path);
            case VALUE_STRING:
                return NODES.textNode(parser.getText());
            case VALUE_NUMBER_INT:
                return switch (parser.getNumberType()) {
                    case INT -> NODES.numberNode(parser.getIntValue());
                    case LONG -> NODES.numberNode(parser.getLongValue());
                    default -> NODES.numberNode(parser.getBigIntegerValue());
                };
            case VALUE_NUMBER_FLOAT:
                return NODES.numberNode(parser.getDoubleValue());
            case VALUE_TRUE:
                return NODES.booleanNode(true);
            case VALUE_FALSE:
                return NODES.booleanNode(false);
            case VALUE_NULL:
                return NODES.nullNode();
            default:
                // VALUE_EMBEDDED_OBJECT (a !!binary scalar) and anything unforeseen: keep its text
                return NODES.textNode(parser.getText());
        }
    }

    private ObjectNode map(JsonParser parser, KeyPath path) throws IOException {
        ObjectNode map = NODES.objectNode();
        Map<String, Integer> lines = new HashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonLocation at = parser.currentTokenLocation();
            int line = at.getLineNr();
            problems.locate(path.key(name), line, at.getColumnNr());
            parser.nextToken();
            JsonNode value = value(parser, path.key(name));
            Integer firstLine = lines.putIfAbsent(name, line);
            if (firstLine == null) {
                map.set(name, value);
            } else {
                problems.add(path.key(name), line, at.getColumnNr(), "duplicate key \"" + name + "\" on line " + line
                        + " (first defined on line " + firstLine + "); a key may appear only once in a map");
            }
        }
        return map;
    }

    private ArrayNode list(JsonParser parser, KeyPath path) throws IOException {
        ArrayNode list = NODES.arrayNode();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            JsonLocation at = parser.currentTokenLocation();
            problems.locate(path.index(list.size()), at.getLineNr(), at.getColumnNr());
            list.add(value(parser, path.index(list.size())));
        }
        return list;
    }

    private void syntaxError(StreamReadException e) {
        // SnakeYAML's problem mark points at the offending character; Jackson's location at the last token read
        if (e.getCause() instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
            Mark mark = marked.getProblemMark();
            problems.addAt(mark.getLine() + 1, mark.getColumn() + 1, "YAML syntax error: " + describe(e));
            return;
        }
        JsonLocation at = e.getLocation();
        int line = at == null ? 1 : Math.max(1, at.getLineNr());
        int column = at == null ? 1 : Math.max(1, at.getColumnNr());
        problems.addAt(line, column, "YAML syntax error: " + describe(e));
    }

    /** SnakeYAML's messages span several lines with a source excerpt; keep the words, one line. */
    private static String describe(StreamReadException e) {
        String message = e.getOriginalMessage();
        if (message == null) {
            return "unreadable YAML";
        }
        StringBuilder words = new StringBuilder();
        for (String line : message.split("\\R")) {
            String trimmed = line.trim();
            if (trimmed.isEmpty() || trimmed.startsWith("in 'reader'") || trimmed.startsWith("^")
                    || line.startsWith("    ")) {
                continue;
            }
            words.append(words.length() == 0 ? "" : ", ").append(trimmed);
        }
        return words.length() == 0 ? message.trim() : words.toString();
    }
}
