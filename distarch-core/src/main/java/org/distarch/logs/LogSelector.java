package org.distarch.logs;

/**
 * Which processes' lines a query or a subscription wants: every process, one process (by global id) or one
 * group. Build with {@link #all()}, {@link #process(int)} or {@link #group(String)}.
 */
public record LogSelector(Integer id, String group) {

    private static final LogSelector ALL = new LogSelector(null, null);

    public LogSelector {
        if (id != null && group != null) {
            throw new IllegalArgumentException("select a process or a group, not both");
        }
    }

    public static LogSelector all() {
        return ALL;
    }

    public static LogSelector process(int id) {
        return new LogSelector(id, null);
    }

    public static LogSelector group(String group) {
        return new LogSelector(null, group);
    }

    boolean matches(int processId, String processGroup) {
        return (id == null || id == processId) && (group == null || group.equals(processGroup));
    }
}
