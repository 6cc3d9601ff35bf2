package org.distarch.config;

import java.util.List;

/**
 * A whole, validated configuration: the groups and queue groups in the order the file gives them, the
 * warnings about it ({@link ConfigWarning}: allowed, but probably not meant), in file order, and the
 * admin server's settings ({@link AdminConfig#DEFAULT} when the file has no {@code admin} section).
 */
public record DistarchConfig(
        String source, List<GroupConfig> groups, List<QueueGroupConfig> queueGroups, List<ConfigWarning> warnings,
        AdminConfig admin) {

    public DistarchConfig {
        groups = List.copyOf(groups);
        queueGroups = List.copyOf(queueGroups);
        warnings = List.copyOf(warnings);
        admin = admin == null ? AdminConfig.DEFAULT : admin;
    }

    /** A configuration with the default {@code admin} settings. */
    public DistarchConfig(String source, List<GroupConfig> groups, List<QueueGroupConfig> queueGroups,
            List<ConfigWarning> warnings) {
        this(source, groups, queueGroups, warnings, AdminConfig.DEFAULT);
    }

    /** A configuration without warnings. */
    public DistarchConfig(String source, List<GroupConfig> groups, List<QueueGroupConfig> queueGroups) {
        this(source, groups, queueGroups, List.of());
    }
}
