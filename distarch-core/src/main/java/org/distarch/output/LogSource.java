package org.distarch.output;

/**
 * Who a log line is about: {@code [group] [host] [display]}. For a process, display is
 * {@code command/id/groupId}; for a host's master it is {@code master}. id and groupId are 0 for masters.
 */
public record LogSource(String group, String host, String display, int id, int groupId) {

    /** The text prefix, built once per process rather than once per line. */
    public String prefix() {
        return "[" + group + "] [" + host + "] [" + display + "]";
    }
}
