package org.distarch.master;

import java.util.concurrent.CompletableFuture;
import org.distarch.config.DistarchConfig;
import org.distarch.control.ControlPlane;
import org.distarch.control.ControlResult;
import org.distarch.control.MasterStatus;
import org.distarch.control.RollingOptions;
import org.distarch.control.Target;
import org.distarch.event.DistarchListener;

/**
 * What a listener gets in {@link DistarchListener#attached}: the master's control plane, with a stop logged
 * as asked by that listener. It exists so that the log says who stopped the master; every other request is
 * the master's own, unchanged.
 */
final class ListenerControlPlane implements ControlPlane {
    private final Master master;
    private final String name;

    ListenerControlPlane(Master master, DistarchListener listener) {
        this.master = master;
        this.name = listener.getClass().getName();
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
        return master.stop("stop requested by event listener " + name);
    }

    @Override
    public CompletableFuture<ControlResult> reload(DistarchConfig newConfig, boolean dryRun) {
        return master.reload(newConfig, dryRun);
    }
}
