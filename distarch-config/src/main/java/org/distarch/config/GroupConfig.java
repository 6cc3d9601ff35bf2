package org.distarch.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One entry of {@code groups:}. {@code local} is null when the group runs nothing locally;
 * {@code params} keeps the YAML's order and holds String, Number, Boolean, List and Map values.
 * {@code remote} is empty (never null) when the group runs nothing remotely; {@code settings} holds only what
 * the group itself sets (entries override it with {@link ProcessSettings#overriddenBy}).
 * Built by {@link ConfigLoader}; at least one of {@code local} and {@code remote} is present.
 */
public record GroupConfig(
        String name,
        String command,
        ProcessSettings settings,
        Map<String, Object> params,
        LocalEntry local,
        List<RemoteEntry> remote,
        RestartConfig restart,
        Duration stopTimeout,
        Long maxMemoryBytes,
        LogsConfig logs) {

    public GroupConfig {
        logs = logs == null ? LogsConfig.DEFAULT : logs;
    }
}
