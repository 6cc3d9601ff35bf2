package org.distarch.config;

import java.util.List;

/**
 * A whole, validated configuration: the groups and queue groups in the order the file gives them, and the
 * warnings about it ({@link ConfigWarning}: allowed, but probably not meant), in file order.
 */
public record DistarchConfig(
        String source, List<GroupConfig> groups, List<QueueGroupConfig> queueGroups, List<ConfigWarning> warnings) {

    public DistarchConfig {
        groups = List.copyOf(groups);
        queueGroups = List.copyOf(queueGroups);
        warnings = List.copyOf(warnings);
    }

    /** A configuration without warnings. */
    public DistarchConfig(String source, List<GroupConfig> groups, List<QueueGroupConfig> queueGroups) {
        this(source, groups, queueGroups, List.of());
    }
}
