package org.distarch.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One entry of {@code queue_groups:}: one feeder and its consumers, all running {@code command}.
 * {@code localConsumers} is null when absent and {@code remoteConsumers} empty when absent; the loader
 * guarantees at least one of them. {@code run} applies to the feeder and the consumers alike.
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
        RunOptions run) {

    public QueueGroupConfig {
        run = run == null ? RunOptions.DEFAULT : run;
    }

    /** A queue group with the default {@link RunOptions}. */
    public QueueGroupConfig(String name, String command, ProcessSettings settings, Map<String, Object> params,
            FeederConfig feeder, LocalConsumers localConsumers, List<RemoteConsumers> remoteConsumers,
            RestartConfig restart, Duration stopTimeout, QueueSettings queue) {
        this(name, command, settings, params, feeder, localConsumers, remoteConsumers, restart, stopTimeout, queue,
                RunOptions.DEFAULT);
    }
}
