package org.distarch.admin.api;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.distarch.control.ProcessStatus;

/**
 * Which processes a list or a stream shows: any of several states, a group, a host (exact), a command and a text
 * in the last output line (substrings, ignoring case). An absent criterion lets everything through.
 */
public record ProcessFilter(Set<String> states, String group, String host, String command, String text) {

    public static final ProcessFilter ALL = new ProcessFilter(Set.of(), null, null, null, null);
    static final List<String> PARAMETERS = List.of("state", "group", "host", "command", "q");

    public ProcessFilter {
        states = Set.copyOf(states);
    }

    /** From query parameters: {@code state} repeated or comma-separated, {@code group}, {@code host}, {@code command}, {@code q}. */
    static ProcessFilter of(Map<String, List<String>> query) {
        Set<String> states = new LinkedHashSet<>();
        for (String value : query.getOrDefault("state", List.of())) {
            for (String state : value.split(",")) {
                if (!state.isBlank()) {
                    states.add(state.trim().toUpperCase(Locale.ROOT));
                }
            }
        }
        return new ProcessFilter(states, single(query, "group"), single(query, "host"), single(query, "command"),
                single(query, "q"));
    }

    static String single(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw ApiException.badRequest("the parameter " + name + " is given " + values.size() + " times; give it once");
        }
        return values.get(0).isEmpty() ? null : values.get(0);
    }

    public boolean matches(ProcessStatus p) {
        return (states.isEmpty() || states.contains(p.state()))
                && (group == null || group.equals(p.group()))
                && (host == null || host.equals(p.host()))
                && (command == null || contains(p.command() != null ? p.command() : p.process(), command))
                && (text == null || contains(p.lastOutput(), text));
    }

    private static boolean contains(String value, String part) {
        return value != null && value.toLowerCase(Locale.ROOT).contains(part.toLowerCase(Locale.ROOT));
    }
}
