package org.distarch.supervise;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.distarch.config.LogsConfig;
import org.distarch.config.RestartConfig;
import org.distarch.config.RunOptions;
import org.distarch.event.ProcessIdentity;
import org.distarch.launch.LaunchSpec;
import org.distarch.launch.RemoteTarget;
import org.distarch.worker.protocol.WorkerEnv;

/**
 * What one instance should be: who it is, how to launch it, and the timers that watch it.
 *
 * @param timeout        silence after which it is timed out; zero: no silence watchdog ({@code timeout: 0})
 * @param stopTimeout    after a timeout, how long it may take to stop before it is killed
 * @param maxMemoryBytes resident memory above which it is restarted, or null for no limit
 * @param remote         where it runs over SSH, or null for this machine
 * @param run            the group's autorestart and exit codes (the rest of its run options is in the launch spec)
 * @param logs           its output's levels, buffer and file (the group's {@code logs:})
 */
public record InstancePlan(ProcessIdentity identity, LaunchSpec launch, Duration timeout, Duration stopTimeout,
        RestartConfig restart, Long maxMemoryBytes, RemoteTarget remote, RunOptions run, LogsConfig logs) {

    public InstancePlan {
        run = run == null ? RunOptions.DEFAULT : run;
        logs = logs == null ? LogsConfig.DEFAULT : logs;
    }

    /** A plan with the default run options (restart on failure, exit code 0 is success) and output settings. */
    public InstancePlan(ProcessIdentity identity, LaunchSpec launch, Duration timeout, Duration stopTimeout,
            RestartConfig restart, Long maxMemoryBytes, RemoteTarget remote) {
        this(identity, launch, timeout, stopTimeout, restart, maxMemoryBytes, remote, RunOptions.DEFAULT,
                LogsConfig.DEFAULT);
    }

    /** A plan with the default output settings ({@link LogsConfig#DEFAULT}). */
    public InstancePlan(ProcessIdentity identity, LaunchSpec launch, Duration timeout, Duration stopTimeout,
            RestartConfig restart, Long maxMemoryBytes, RemoteTarget remote, RunOptions run) {
        this(identity, launch, timeout, stopTimeout, restart, maxMemoryBytes, remote, run, LogsConfig.DEFAULT);
    }

    /** Whether a silence watchdog watches the process ({@code timeout} other than 0). */
    public boolean watched() {
        return !timeout.isZero();
    }

    /** The same instance under another global id (a reload keeps running instances' ids and gives new ones fresh ids). */
    public InstancePlan withId(int id) {
        ProcessIdentity i = identity;
        ProcessIdentity renumbered = new ProcessIdentity(id, i.groupId(), i.groupCount(), i.group(), i.host(),
                i.command(), i.role());
        Map<String, String> env = new LinkedHashMap<>(launch.environment());
        env.put(WorkerEnv.ID, Integer.toString(id));
        env.put(WorkerEnv.COMMAND, renumbered.display());
        return new InstancePlan(renumbered, launch.withEnvironment(env), timeout, stopTimeout, restart, maxMemoryBytes,
                remote, run, logs);
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
                String.valueOf(remote), run, launch.stopSignal(), String.valueOf(launch.user()),
                String.valueOf(launch.umask()), logs);
    }
}
