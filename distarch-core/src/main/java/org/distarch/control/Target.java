package org.distarch.control;

/**
 * Which processes a control operation acts on: every non-null field must match (all null: every process).
 * Made by the factories: {@link #all()}, {@link #group(String)}, {@link #process(int)} (the id {@code status}
 * shows), {@link #process(String, int)} (a group and its group id, as {@code GROUP/3}), {@link #host(String)}
 * ({@code localhost} for the master's machine, else a remote host name), or {@link #parse(String)} of the text a
 * user types.
 *
 * @param group   the group name, or null
 * @param id      the process id, or null; alone when given
 * @param groupId the group id within {@code group} (needs {@code group}), or null
 * @param host    the host, or null
 */
public record Target(String group, Integer id, Integer groupId, String host) {

    public Target {
        if (id != null && (group != null || groupId != null || host != null)) {
            throw new IllegalArgumentException("a target by process id names nothing else");
        }
        if (groupId != null && group == null) {
            throw new IllegalArgumentException("a group id needs its group");
        }
        if (id != null && id < 1 || groupId != null && groupId < 1) {
            throw new IllegalArgumentException("ids start at 1");
        }
        if (group != null && group.isBlank() || host != null && host.isBlank()) {
            throw new IllegalArgumentException("a group or host name must not be blank");
        }
    }

    public static Target all() {
        return new Target(null, null, null, null);
    }

    public static Target group(String group) {
        return new Target(group, null, null, null);
    }

    public static Target process(int id) {
        return new Target(null, id, null, null);
    }

    public static Target process(String group, int groupId) {
        return new Target(group, null, groupId, null);
    }

    public static Target host(String host) {
        return new Target(null, null, null, host);
    }

    /**
     * What a user types: {@code 7} (a process id), {@code GROUP/3} (a group's third process), {@code GROUP}, or
     * {@code @HOST}.
     *
     * @throws IllegalArgumentException for blank text or a malformed id
     */
    public static Target parse(String text) {
        String t = text == null ? "" : text.trim();
        if (t.isEmpty()) {
            throw new IllegalArgumentException("empty target: give a process id, GROUP/ID, GROUP or @HOST");
        }
        if (t.startsWith("@")) {
            return host(t.substring(1));
        }
        if (t.chars().allMatch(Character::isDigit)) {
            return process(number(t, t));
        }
        int slash = t.lastIndexOf('/');
        if (slash > 0 && slash < t.length() - 1 && t.substring(slash + 1).chars().allMatch(Character::isDigit)) {
            return process(t.substring(0, slash), number(t.substring(slash + 1), t));
        }
        return group(t);
    }

    private static int number(String digits, String text) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a process id: " + text);
        }
    }

    /** Whether a process of {@code group} on {@code host}, with these ids, is one of the target's. */
    public boolean matches(int processId, String processGroup, int processGroupId, String processHost) {
        return (id == null || id == processId) && (group == null || group.equals(processGroup))
                && (groupId == null || groupId == processGroupId) && (host == null || host.equals(processHost));
    }

    /** For messages: {@code process 7}, {@code process A/3}, {@code group "A"}, {@code host "h1"}, {@code all processes}. */
    public String describe() {
        if (id != null) {
            return "process " + id;
        }
        if (groupId != null) {
            return "process " + group + "/" + groupId + (host == null ? "" : " on " + host);
        }
        if (group != null) {
            return "group \"" + group + "\"" + (host == null ? "" : " on " + host);
        }
        return host != null ? "host \"" + host + "\"" : "all processes";
    }
}
