package org.distarch.control;

import java.util.concurrent.CompletableFuture;
import org.distarch.config.DistarchConfig;

/**
 * What an operator can ask of a running master. Designed once here; the control socket (and later the
 * admin page) are thin transports over it. Every action is logged by the master with what it did, and its
 * {@link ControlResult} says what it did to which processes ({@code details}: one line per process). Every
 * method is safe from any thread and never waits: the future completes once the master has decided and begun
 * (a stop asked, a start launched), not once the processes have stopped or started.
 *
 * <p>Processes are chosen by a {@link Target}: one process, a group, a host or all. A target that names
 * nothing gives a refused result naming what exists ({@code No group named "X"; groups: A, B}).
 *
 * <p>An operator's {@link #stop(Target, boolean, boolean) stop} <em>holds</em> a process: it stays down, shown
 * in {@link ProcessStatus#held()}, and neither its restart policy, nor {@link #resume}, a reload or a service's
 * new cycle starts it, until {@link #start} does. {@link #suspend} and {@link #resume} keep their group meaning;
 * a suspended group stays down across a reload.
 */
public interface ControlPlane {

    CompletableFuture<MasterStatus> status();

    /** Stops the group's processes (all groups when {@code group} is null) and keeps them stopped. */
    default CompletableFuture<ControlResult> suspend(String group, boolean force) {
        return suspend(group, force, false);
    }

    /**
     * {@link #suspend(String, boolean)}; with {@code persist}, the group also stays suspended when the master is
     * started again (recorded in the master's state file, beside its pid file), until {@link #resume}.
     */
    CompletableFuture<ControlResult> suspend(String group, boolean force, boolean persist);

    /** Starts a suspended group (all groups when null) again, with clean failure budgets. */
    CompletableFuture<ControlResult> resume(String group);

    /** Stops the master gracefully (a service too). */
    CompletableFuture<ControlResult> stop();

    /** Applies (or, with {@code dryRun}, only lists) the difference between the fleet and {@code config}. */
    CompletableFuture<ControlResult> reload(DistarchConfig config, boolean dryRun);

    /**
     * Starts the target's processes that do not run (stopped, held, ended, given up, or waiting in backoff), with
     * clean failure budgets, and releases their hold (and a persisted stop). A process of a suspended group is
     * refused: resume the group.
     */
    CompletableFuture<ControlResult> start(Target target);

    /**
     * Stops the target's processes and holds them down until {@link #start}: graceful (each gets its group's
     * {@code stop_timeout}, then is killed) unless {@code force} (killed at once); with {@code persist}, they also
     * stay down when the master is started again. The master keeps running, even with every process held.
     */
    CompletableFuture<ControlResult> stop(Target target, boolean force, boolean persist);

    /**
     * Restarts the target's processes: each running one is stopped gracefully and started again at once (not
     * counted as a failure), one in backoff, ended or given up is started now with clean budgets. Held processes
     * and suspended groups are left alone, and said so.
     */
    CompletableFuture<ControlResult> restart(Target target);

    /**
     * Restarts a group a few processes at a time ({@link RollingOptions#batch()}), each next batch only once
     * the new processes have run healthy for {@link RollingOptions#healthyFor()}, so that the group never has
     * fewer than its count minus the batch running. Returns once it has begun; {@link #status()} shows its
     * progress ({@link GroupStatus#rollout()}), and the log its end. A new process that fails halts the rollout:
     * the rest keep running their old version.
     */
    CompletableFuture<ControlResult> rollingRestart(String group, RollingOptions options);

    /**
     * Sends {@code signal} ({@code TERM}, {@code INT}, {@code QUIT}, {@code HUP}, {@code USR1}, {@code USR2},
     * {@code KILL}, …; with or without {@code SIG}) to the process group of each running process of the target,
     * local or remote. The supervisor is not told: a process that exits of it is restarted as its policy says.
     */
    CompletableFuture<ControlResult> signal(Target target, String signal);
}
