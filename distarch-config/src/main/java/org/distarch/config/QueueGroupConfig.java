package org.distarch.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One entry of {@code queue_groups:}: one feeder and its consumers, all running {@code command}.
 * {@code localConsumers} is null when absent and {@code remoteConsumers} empty when absent; the loader
 * guarantees at least one of them. {@code run} and {@code logs} apply to the feeder and the consumers alike.
 */
public record QueueGroupConfig(
        String name,
        String command,
        ProcessSettings settings,
        Map<String, Object> params,
        FeederConfig feeder,
        LocalConsumers localConsumers,
        List<RemoteConsumers> remoteConsumers,
        RestartConfig restart,
        Duration stopTimeout,
        QueueSettings queue,
        RunOptions run,
        LogsConfig logs) {

    public QueueGroupConfig {
        run = run == null ? RunOptions.DEFAULT : run;
        logs = logs == null ? LogsConfig.DEFAULT : logs;
    }

    /** A queue group with the default {@link LogsConfig}. */
    public QueueGroupConfig(String name, String command, ProcessSettings settings, Map<String, Object> params,
            FeederConfig feeder, LocalConsumers localConsumers, List<RemoteConsumers> remoteConsumers,
            RestartConfig restart, Duration stopTimeout, QueueSettings queue, RunOptions run) {
        this(name, command, settings, params, feeder, localConsumers, remoteConsumers, restart, stopTimeout, queue,
                run, LogsConfig.DEFAULT);
    }

    /** A queue group with the default {@link RunOptions} and {@link LogsConfig}. */
    public QueueGroupConfig(String name, String command, ProcessSettings settings, Map<String, Object> params,
            FeederConfig feeder, LocalConsumers localConsumers, List<RemoteConsumers> remoteConsumers,
            RestartConfig restart, Duration stopTimeout, QueueSettings queue) {
        this(name, command, settings, params, feeder, localConsumers, remoteConsumers, restart, stopTimeout, queue,
                RunOptions.DEFAULT, LogsConfig.DEFAULT);
    }
}
