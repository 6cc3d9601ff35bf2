package org.distarch.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.StringReader;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.DocumentStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.MappingEndEvent;
import org.yaml.snakeyaml.events.MappingStartEvent;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.events.SequenceEndEvent;
import org.yaml.snakeyaml.events.StreamEndEvent;
import org.yaml.snakeyaml.parser.Parser;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.ReaderException;
import org.yaml.snakeyaml.reader.StreamReader;

/**
 * Reads YAML text into a Jackson tree from the YAML parser's events, so that a key given twice in one map is
 * reported (with both lines) instead of silently overwritten, and a syntax error is reported with its line and
 * column. Scalars are typed by the YAML 1.1 rules ({@link Scalars}). An alias is replaced by an exact copy of
 * its anchor's value; alias uses and the size they add are bounded ({@link #MAX_ALIAS_USES},
 * {@link #MAX_ALIAS_EXPANSION}) so that a "billion laughs" file is refused at once, and nesting is bounded
 * by {@link #MAX_DEPTH}. A document holding nothing yields {@code null}. The text must already have passed
 * {@link TextLimits}.
 */
final class YamlTree {

    static final int MAX_ALIAS_USES = 100;
    /** Characters (scalars and keys, one per list or map) that all alias uses together may add. */
    static final int MAX_ALIAS_EXPANSION = 1024 * 1024;
    static final int MAX_DEPTH = 64;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** A refusal that ends reading: the problem is already recorded. */
    private static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refused() {
            super(null, null, false, false);
        }
    }

    private record Anchored(JsonNode value, long size) {}

    private final String text;
    private final Problems problems;
    private final Parser parser;
    private final Scalars scalars;
    private final Map<String, Anchored> anchors = new HashMap<>();
    private final Set<String> open = new HashSet<>();
    private long size;
    private long expanded;
    private int aliasUses;

    private YamlTree(String text, Problems problems) {
        this.text = text;
        this.problems = problems;
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(Integer.MAX_VALUE); // TextLimits bounds the text before
        options.setNestingDepthLimit(MAX_DEPTH + 2);
        this.parser = new ParserImpl(new StreamReader(new StringReader(text)), options);
        this.scalars = new Scalars(problems);
    }

    /** The tree of {@code text}, or null when it is empty or refused (the problems then say why). */
    static JsonNode read(String text, Problems problems) {
        return new YamlTree(text, problems).read();
    }

    private JsonNode read() {
        try {
            parser.getEvent(); // stream start
            if (parser.peekEvent() instanceof StreamEndEvent) {
                return null;
            }
            parser.getEvent(); // document start
            JsonNode root = value(KeyPath.ROOT, 0);
            parser.getEvent(); // document end
            Event next = parser.getEvent();
            if (next instanceof DocumentStartEvent) {
                Mark at = next.getStartMark();
                problems.addAt(line(at), column(at),
                        "YAML syntax error: the file holds more than one YAML document; keep one");
                return null;
            }
            return root;
        } catch (Refused e) {
            return null;
        } catch (MarkedYAMLException e) {
            Mark at = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            problems.addAt(line(at), column(at), "YAML syntax error: " + describe(e));
            return null;
        } catch (ReaderException e) {
            int[] at = lineAndColumn(e.getPosition());
            problems.addAt(at[0], at[1], "YAML syntax error: the character "
                    + String.format(Locale.ROOT, "U+%04X", e.getCodePoint()) + " is not allowed in YAML; remove it");
            return null;
        } catch (YAMLException e) {
            problems.add(KeyPath.ROOT, "YAML syntax error: " + Scalars.plainWords(e.getMessage()));
            return null;
        } catch (RuntimeException e) {
            // the YAML library failing on input it did not foresee: still an answer, never its class names
            problems.add(KeyPath.ROOT, "YAML syntax error: the file cannot be read as YAML");
            return null;
        }
    }

    /** The 1-based line and column of the {@code position}-th code point of the text. */
    private int[] lineAndColumn(int position) {
        int line = 1;
        int column = 1;
        int index = 0;
        for (int i = 0; i < position && index < text.length(); i++) {
            int c = text.codePointAt(index);
            index += Character.charCount(c);
            if (c == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return new int[] {line, column};
    }

    private JsonNode value(KeyPath path, int depth) {
        Event event = parser.getEvent();
        if (event instanceof AliasEvent alias) {
            return alias(alias, path);
        }
        NodeEvent node = (NodeEvent) event;
        String anchor = node.getAnchor();
        long before = size;
        if (anchor != null) {
            open.add(anchor);
        }
        JsonNode value;
        if (event instanceof ScalarEvent scalar) {
            size += scalar.getValue().length() + 1;
            value = scalars.value(scalar, path);
        } else {
            if (depth >= MAX_DEPTH) {
                Mark at = event.getStartMark();
                problems.addAt(line(at), column(at), "the YAML is nested more than " + MAX_DEPTH
                        + " levels deep (at " + shown(path) + "); flatten it");
                throw new Refused();
            }
            size++;
            value = event instanceof MappingStartEvent ? map(path, depth + 1) : list(path, depth + 1);
        }
        if (anchor != null) {
            open.remove(anchor);
            anchors.put(anchor, new Anchored(value, size - before));
        }
        return value;
    }

    private JsonNode alias(AliasEvent alias, KeyPath path) {
        String name = alias.getAnchor();
        Mark at = alias.getStartMark();
        Anchored anchored = anchors.get(name);
        if (anchored == null) {
            refuse(path, at, open.contains(name)
                    ? "the alias *" + name + " refers to the list or map that holds it; YAML here cannot be recursive"
                    : "the alias *" + name + " has no anchor &" + name + " before it");
        }
        if (++aliasUses > MAX_ALIAS_USES) {
            refuse(path, at, "the file uses aliases more than " + MAX_ALIAS_USES + " times; write the values out");
        }
        expanded += anchored.size();
        if (expanded > MAX_ALIAS_EXPANSION) {
            refuse(path, at, "the alias *" + name + " makes the aliases expand to more than "
                    + String.format(Locale.ROOT, "%,d", MAX_ALIAS_EXPANSION)
                    + " characters (1 MiB); write the values out");
        }
        size += anchored.size();
        return anchored.value().deepCopy();
    }

    private ObjectNode map(KeyPath path, int depth) {
        ObjectNode map = NODES.objectNode();
        Map<String, Integer> lines = new HashMap<>();
        while (!(parser.peekEvent() instanceof MappingEndEvent)) {
            Event keyEvent = parser.peekEvent();
            Mark at = keyEvent.getStartMark();
            String name = key(path);
            KeyPath keyPath = path.key(name);
            int line = line(at);
            problems.locate(keyPath, line, column(at));
            JsonNode value = value(keyPath, depth);
            Integer firstLine = lines.putIfAbsent(name, line);
            if (firstLine == null) {
                map.set(name, value);
            } else {
                problems.add(keyPath, line, column(at), "duplicate key \"" + name + "\" on line " + line
                        + " (first defined on line " + firstLine + "); a key may appear only once in a map");
            }
        }
        parser.getEvent();
        return map;
    }

    /** A map key: a scalar as written, or an alias of one, as text. */
    private String key(KeyPath path) {
        Event event = parser.peekEvent();
        if (event instanceof CollectionStartEvent) {
            refuse(path, event.getStartMark(), "a map key must be a plain value, not a list or map");
        }
        JsonNode key = value(path, MAX_DEPTH);
        if (!key.isValueNode()) {
            refuse(path, event.getStartMark(), "a map key must be a plain value, not a list or map");
        }
        return event instanceof ScalarEvent scalar ? scalar.getValue() : key.asText(); // as written: "on", not true
    }

    private ArrayNode list(KeyPath path, int depth) {
        ArrayNode list = NODES.arrayNode();
        while (!(parser.peekEvent() instanceof SequenceEndEvent)) {
            Mark at = parser.peekEvent().getStartMark();
            problems.locate(path.index(list.size()), line(at), column(at));
            list.add(value(path.index(list.size()), depth));
        }
        parser.getEvent();
        return list;
    }

    private void refuse(KeyPath path, Mark at, String message) {
        problems.add(path, line(at), column(at), message + " (line " + line(at) + ", column " + column(at) + ")");
        throw new Refused();
    }

    private static String shown(KeyPath path) {
        return path.isRoot() ? "the top" : path.toString();
    }

    private static int line(Mark mark) {
        return mark == null ? 1 : mark.getLine() + 1;
    }

    private static int column(Mark mark) {
        return mark == null ? 1 : mark.getColumn() + 1;
    }

    /** The parser's problem in one line of words, with its context when it has one. */
    private static String describe(MarkedYAMLException e) {
        String problem = Scalars.plainWords(e.getProblem());
        String context = e.getContext() == null ? "" : Scalars.plainWords(e.getContext());
        return context.isEmpty() ? problem : context + ", " + problem;
    }
}
