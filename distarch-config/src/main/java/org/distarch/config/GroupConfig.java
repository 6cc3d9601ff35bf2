package org.distarch.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One entry of {@code groups:}. {@code local} is null when the group runs nothing locally;
 * {@code params} keeps the YAML's order and holds String, Number, Boolean, List and Map values.
 * {@code remote} is empty (never null) when the group runs nothing remotely; {@code settings} holds only what
 * the group itself sets (entries override it with {@link ProcessSettings#overriddenBy}).
 * {@code run} holds how the processes run and restart ({@link RunOptions}: autorestart, exit codes, stop
 * signal, environment, user, umask); {@code lifecycle} says how the group starts and restarts as a whole
 * ({@link LifecycleSettings}); {@code logs} says what the master does with the output ({@link LogsConfig}).
 * None of the three is ever null.
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
        RunOptions run,
        LifecycleSettings lifecycle,
        LogsConfig logs) {

    public GroupConfig {
        run = run == null ? RunOptions.DEFAULT : run;
        lifecycle = lifecycle == null ? LifecycleSettings.DEFAULT : lifecycle;
        logs = logs == null ? LogsConfig.DEFAULT : logs;
    }

    /** A group with the default {@link LogsConfig}. */
    public GroupConfig(String name, String command, ProcessSettings settings, Map<String, Object> params,
            LocalEntry local, List<RemoteEntry> remote, RestartConfig restart, Duration stopTimeout,
            Long maxMemoryBytes, RunOptions run, LifecycleSettings lifecycle) {
        this(name, command, settings, params, local, remote, restart, stopTimeout, maxMemoryBytes, run, lifecycle,
                LogsConfig.DEFAULT);
    }

    /** A group with the default {@link LifecycleSettings} and {@link LogsConfig}. */
    public GroupConfig(String name, String command, ProcessSettings settings, Map<String, Object> params,
            LocalEntry local, List<RemoteEntry> remote, RestartConfig restart, Duration stopTimeout,
            Long maxMemoryBytes, RunOptions run) {
        this(name, command, settings, params, local, remote, restart, stopTimeout, maxMemoryBytes, run,
                LifecycleSettings.DEFAULT, LogsConfig.DEFAULT);
    }

    /** A group with the default {@link RunOptions} and {@link LogsConfig}. */
    public GroupConfig(String name, String command, ProcessSettings settings, Map<String, Object> params,
            LocalEntry local, List<RemoteEntry> remote, RestartConfig restart, Duration stopTimeout,
            Long maxMemoryBytes, LifecycleSettings lifecycle) {
        this(name, command, settings, params, local, remote, restart, stopTimeout, maxMemoryBytes,
                RunOptions.DEFAULT, lifecycle, LogsConfig.DEFAULT);
    }

    /** A group with the default {@link RunOptions}, {@link LifecycleSettings} and {@link LogsConfig}. */
    public GroupConfig(String name, String command, ProcessSettings settings, Map<String, Object> params,
            LocalEntry local, List<RemoteEntry> remote, RestartConfig restart, Duration stopTimeout,
            Long maxMemoryBytes) {
        this(name, command, settings, params, local, remote, restart, stopTimeout, maxMemoryBytes,
                RunOptions.DEFAULT, LifecycleSettings.DEFAULT, LogsConfig.DEFAULT);
    }
}
