package org.distarch.master;

import java.util.concurrent.CompletableFuture;
import org.distarch.config.DistarchConfig;
import org.distarch.control.ControlPlane;
import org.distarch.control.ControlResult;
import org.distarch.control.MasterStatus;
import org.distarch.control.RollingOptions;
import org.distarch.control.Target;

/**
 * The master's control plane as one asker gets it (an event listener in {@code attached}, the HTTP API): a stop
 * of the master is logged with that asker's reason, so that the log says who stopped it; every other request is
 * the master's own, unchanged. See {@link Master#controlPlane(String)}.
 */
final class AttributedControlPlane implements ControlPlane {
    private final Master master;
    private final String stopReason;

    AttributedControlPlane(Master master, String stopReason) {
        this.master = master;
        this.stopReason = stopReason;
    }

    @Override
    public CompletableFuture<MasterStatus> status() {
        return master.status();
    }

    @Override
    public CompletableFuture<ControlResult> suspend(String group, boolean force, boolean persist) {
        return master.suspend(group, force, persist);
    }

    @Override
    public CompletableFuture<ControlResult> start(Target target) {
        return master.start(target);
    }

    @Override
    public CompletableFuture<ControlResult> stop(Target target, boolean force, boolean persist) {
        return master.stop(target, force, persist);
    }

    @Override
    public CompletableFuture<ControlResult> restart(Target target) {
        return master.restart(target);
    }

    @Override
    public CompletableFuture<ControlResult> rollingRestart(String group, RollingOptions options) {
        return master.rollingRestart(group, options);
    }

    @Override
    public CompletableFuture<ControlResult> signal(Target target, String signal) {
        return master.signal(target, signal);
    }

    @Override
    public CompletableFuture<ControlResult> resume(String group) {
        return master.resume(group);
    }

    @Override
    public CompletableFuture<ControlResult> stop() {
        return master.stop(stopReason);
    }

    @Override
    public CompletableFuture<ControlResult> reload(DistarchConfig newConfig, boolean dryRun) {
        return master.reload(newConfig, dryRun);
    }
}
