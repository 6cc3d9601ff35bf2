package org.distarch.config;

import java.util.List;

/** A whole, validated configuration: the groups and queue groups in the order the file gives them. */
public record DistarchConfig(String source, List<GroupConfig> groups, List<QueueGroupConfig> queueGroups) {}
