package org.distarch.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects the errors of one load, so that one pass reports all of them. The YAML reader tells where each key
 * sits in the file; errors are then listed in file order (an error about a missing key sorts at its parent),
 * whatever order the checks found them in.
 */
final class Problems {

    private record Found(ConfigError error, long position) {}

    private final String source;
    private final List<Found> found = new ArrayList<>();
    private final Map<KeyPath, Long> positions = new HashMap<>();

    Problems(String source) {
        this.source = source;
    }

    String source() {
        return source;
    }

    /** Records where the value at {@code path} starts (1-based line and column). */
    void locate(KeyPath path, int line, int column) {
        positions.putIfAbsent(path, position(line, column));
    }

    void add(KeyPath path, String message) {
        found.add(new Found(ConfigError.at(source, path.toString(), message), positionOf(path)));
    }

    /** An error about {@code path} that sorts at the given place (e.g. the second of two duplicate keys). */
    void add(KeyPath path, int line, int column, String message) {
        found.add(new Found(ConfigError.at(source, path.toString(), message), position(line, column)));
    }

    void addAt(int line, int column, String message) {
        found.add(new Found(new ConfigError(source, "", message, line, column), position(line, column)));
    }

    boolean isEmpty() {
        return found.isEmpty();
    }

    int count() {
        return found.size();
    }

    /** Throws a {@link ConfigException} listing every error collected so far in file order, if there is any. */
    void throwIfAny() {
        if (!found.isEmpty()) {
            throw new ConfigException(found.stream()
                    .sorted(Comparator.comparingLong(Found::position)) // stable: same place keeps check order
                    .map(Found::error)
                    .toList());
        }
    }

    private long positionOf(KeyPath path) {
        for (KeyPath at = path; ; at = at.parent()) {
            Long position = positions.get(at);
            if (position != null) {
                return position;
            }
            if (at.isRoot()) {
                return 0;
            }
        }
    }

    private static long position(int line, int column) {
        return ((long) line << 32) | Math.max(0, column);
    }
}
