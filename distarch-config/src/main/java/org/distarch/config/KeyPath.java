package org.distarch.config;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Where a value sits in the configuration, printed the way a user finds it in the file:
 * {@code distributed_architecture.groups."First Group".remote[0].hosts[1]}. Map keys that are not
 * simple identifiers are double-quoted; list elements are {@code [index]}.
 */
final class KeyPath {

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    static final KeyPath ROOT = new KeyPath(List.of());

    private final List<String> segments;

    private KeyPath(List<String> segments) {
        this.segments = segments;
    }

    /** This path followed by the map key {@code name}. */
    KeyPath key(String name) {
        String segment = IDENTIFIER.matcher(name).matches() ? name : quote(name);
        return append((segments.isEmpty() ? "" : ".") + segment);
    }

    /** This path followed by the list index {@code index}. */
    KeyPath index(int index) {
        return append("[" + index + "]");
    }

    /** The path of the map or list holding this value; the root is its own parent. */
    KeyPath parent() {
        return segments.isEmpty() ? this : new KeyPath(segments.subList(0, segments.size() - 1));
    }

    boolean isRoot() {
        return segments.isEmpty();
    }

    private KeyPath append(String segment) {
        List<String> more = new ArrayList<>(segments);
        more.add(segment);
        return new KeyPath(List.copyOf(more));
    }

    private static String quote(String name) {
        return '"' + name.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    @Override
    public String toString() {
        return String.join("", segments);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof KeyPath that && segments.equals(that.segments);
    }

    @Override
    public int hashCode() {
        return segments.hashCode();
    }
}
