package org.distarch.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One entry of {@code queue_groups:}: one feeder and its consumers, all running {@code command}.
 * {@code localConsumers} is null when absent and {@code remoteConsumers} empty when absent; the loader
 * guarantees at least one of them.
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
        LogsConfig logs) {

    public QueueGroupConfig {
        logs = logs == null ? LogsConfig.DEFAULT : logs;
    }
}
