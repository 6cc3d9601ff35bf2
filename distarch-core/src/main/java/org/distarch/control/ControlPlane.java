package org.distarch.control;

import java.util.concurrent.CompletableFuture;
import org.distarch.config.DistarchConfig;

/**
 * What an operator can ask of a running master. Designed once here; the control socket (and later the
 * admin page) are thin transports over it. Every action is logged by the master with what it did.
 */
public interface ControlPlane {

    CompletableFuture<MasterStatus> status();

    /** Stops the group's processes (all groups when {@code group} is null) and keeps them stopped. */
    CompletableFuture<ControlResult> suspend(String group, boolean force);

    /** Starts a suspended group (all groups when null) again, with clean failure budgets. */
    CompletableFuture<ControlResult> resume(String group);

    /** Stops the master gracefully (a service too). */
    CompletableFuture<ControlResult> stop();

    /** Applies (or, with {@code dryRun}, only lists) the difference between the fleet and {@code config}. */
    CompletableFuture<ControlResult> reload(DistarchConfig config, boolean dryRun);
}
