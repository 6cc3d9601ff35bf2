package org.distarch.spring.boot;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.origin.OriginTrackedValue;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Rebuilds the tree under one prefix ({@code distributed-architecture}) from Spring's flattened properties
 * ({@code groups.First Group.remote[0].hosts[1]}), as written: keys keep their spelling (so group names do)
 * and values are the raw ones, before Spring's placeholder resolution ({@code ${NAME}} is resolved by
 * distarch, from the environment, as in a file). A key given by several sources is taken from the one with
 * the highest precedence (a profile's file over {@code application.yaml}). The operating system's environment
 * is not read: its variable names cannot carry group names.
 */
final class PropertyTree {

    /** The tree and the name of the source that gave its first key (for error messages). */
    record Found(Map<String, Object> tree, String source) {}

    private static final Pattern RESOURCE = Pattern.compile("\\[([^\\]]+)]");

    private PropertyTree() {}

    static Optional<Found> read(ConfigurableEnvironment environment, List<String> prefixes) {
        Map<String, Object> tree = new LinkedHashMap<>();
        Map<String, Boolean> seen = new LinkedHashMap<>();
        String source = null;
        for (PropertySource<?> propertySource : environment.getPropertySources()) {
            if (!(propertySource instanceof EnumerablePropertySource<?> enumerable)
                    || propertySource instanceof SystemEnvironmentPropertySource) {
                continue;
            }
            for (String name : enumerable.getPropertyNames()) {
                String rest = strip(name, prefixes);
                if (rest == null || seen.putIfAbsent(rest, true) != null) {
                    continue;
                }
                Object value = propertySource.getProperty(name);
                if (value instanceof OriginTrackedValue tracked) {
                    value = tracked.getValue();
                }
                if (source == null) {
                    source = sourceName(propertySource.getName());
                }
                put(tree, path(rest), value);
            }
        }
        return source == null ? Optional.empty() : Optional.of(new Found(tree, source));
    }

    /** {@code Config resource 'class path resource [application.yaml]' via ...}: {@code application.yaml}. */
    static String sourceName(String propertySourceName) {
        Matcher m = RESOURCE.matcher(propertySourceName);
        return m.find() ? m.group(1) : propertySourceName;
    }

    private static String strip(String name, List<String> prefixes) {
        for (String prefix : prefixes) {
            if (name.equals(prefix)) {
                return "";
            }
            if (name.startsWith(prefix + ".") || name.startsWith(prefix + "[")) {
                return name.substring(prefix.length() + (name.charAt(prefix.length()) == '.' ? 1 : 0));
            }
        }
        return null;
    }

    /** {@code a.b[2].c[x.y]}: the names a, b, c, x.y and the index 2. */
    static List<Object> path(String key) {
        List<Object> path = new ArrayList<>();
        StringBuilder name = new StringBuilder();
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c == '.') {
                flush(name, path);
            } else if (c == '[') {
                flush(name, path);
                int end = key.indexOf(']', i);
                if (end < 0) {
                    name.append(key, i, key.length());
                    break;
                }
                String inside = key.substring(i + 1, end);
                path.add(inside.matches("\\d{1,9}") ? (Object) Integer.valueOf(inside) : inside);
                i = end;
            } else {
                name.append(c);
            }
        }
        flush(name, path);
        return path;
    }

    private static void flush(StringBuilder name, List<Object> path) {
        if (name.length() > 0) {
            path.add(name.toString());
            name.setLength(0);
        }
    }

    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> tree, List<Object> path, Object value) {
        if (path.isEmpty()) {
            return; // "distributed-architecture:" with nothing under it
        }
        Object container = tree;
        for (int i = 0; i < path.size(); i++) {
            Object step = path.get(i);
            boolean last = i == path.size() - 1;
            Object next = last ? null : path.get(i + 1);
            Object child = last ? value : (next instanceof Integer ? new ArrayList<>() : new LinkedHashMap<>());
            if (container instanceof Map<?, ?> map && step instanceof String key) {
                Map<String, Object> m = (Map<String, Object>) map;
                Object existing = m.get(key);
                if (existing instanceof Map<?, ?> || existing instanceof List<?>) {
                    container = existing;
                } else if (last && isEmpty(value) && existing != null) {
                    return;
                } else {
                    m.put(key, child);
                    container = child;
                }
            } else if (container instanceof List<?> list && step instanceof Integer index) {
                List<Object> l = (List<Object>) list;
                while (l.size() <= index) {
                    l.add(null);
                }
                Object existing = l.get(index);
                if (existing instanceof Map<?, ?> || existing instanceof List<?>) {
                    container = existing;
                } else {
                    l.set(index, child);
                    container = child;
                }
            } else {
                return; // a name where a list was, or an index where a map was: the higher source already decided
            }
        }
    }

    private static boolean isEmpty(Object value) {
        return value == null || "".equals(value);
    }
}
