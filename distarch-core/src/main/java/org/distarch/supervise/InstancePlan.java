package org.distarch.supervise;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.distarch.config.LogsConfig;
import org.distarch.config.RestartConfig;
import org.distarch.event.ProcessIdentity;
import org.distarch.launch.LaunchSpec;
import org.distarch.launch.RemoteTarget;
import org.distarch.worker.protocol.WorkerEnv;

/**
 * What one instance should be: who it is, how to launch it, and the timers that watch it.
 *
 * @param timeout        silence after which it is timed out
 * @param stopTimeout    after a timeout, how long it may take to stop before it is killed
 * @param maxMemoryBytes resident memory above which it is restarted, or null for no limit
 * @param remote         where it runs over SSH, or null for this machine
 * @param logs           its output's levels, buffer and file (the group's {@code logs:})
 */
public record InstancePlan(ProcessIdentity identity, LaunchSpec launch, Duration timeout, Duration stopTimeout,
        RestartConfig restart, Long maxMemoryBytes, RemoteTarget remote, LogsConfig logs) {

    public InstancePlan {
        logs = logs == null ? LogsConfig.DEFAULT : logs;
    }

    /** A plan with the default output settings ({@link LogsConfig#DEFAULT}). */
    public InstancePlan(ProcessIdentity identity, LaunchSpec launch, Duration timeout, Duration stopTimeout,
            RestartConfig restart, Long maxMemoryBytes, RemoteTarget remote) {
        this(identity, launch, timeout, stopTimeout, restart, maxMemoryBytes, remote, LogsConfig.DEFAULT);
    }

    /** The same instance under another global id (a reload keeps running instances' ids and gives new ones fresh ids). */
    public InstancePlan withId(int id) {
        ProcessIdentity i = identity;
        ProcessIdentity renumbered = new ProcessIdentity(id, i.groupId(), i.groupCount(), i.group(), i.host(),
                i.command(), i.role());
        Map<String, String> env = new LinkedHashMap<>(launch.environment());
        env.put(WorkerEnv.ID, Integer.toString(id));
        env.put(WorkerEnv.COMMAND, renumbered.display());
        return new InstancePlan(renumbered, new LaunchSpec(launch.command(), launch.directory(), env, launch.priority()),
                timeout, stopTimeout, restart, maxMemoryBytes, remote, logs);
    }

    /**
     * Everything that makes the group's processes what they are, apart from who each one is and how many there
     * are: two plans with equal fingerprints run the same thing, so a reload need not restart them.
     */
    public Object fingerprint() {
        Map<String, String> env = new LinkedHashMap<>(launch.environment());
        for (String own : new String[] {WorkerEnv.ID, WorkerEnv.GROUP_ID, WorkerEnv.GROUP_COUNT, WorkerEnv.COMMAND,
            WorkerEnv.MASTER_PID}) {
            env.remove(own);
        }
        return java.util.List.of(identity.command(), identity.role(), launch.command(), String.valueOf(launch.directory()),
                env, String.valueOf(launch.priority()), timeout, stopTimeout, restart, String.valueOf(maxMemoryBytes),
                String.valueOf(remote), logs);
    }
}
