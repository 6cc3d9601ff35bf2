package org.distarch.control.socket;

import org.distarch.control.ControlPlane;
import org.distarch.control.ControlResult;
import org.distarch.control.MasterStatus;
import org.distarch.control.RollingOptions;
import org.distarch.control.Target;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.distarch.config.DistarchConfig;

/** A control plane that answers at once (or never, when {@link #hang} is set) and records every call. */
final class FakePlane implements ControlPlane {

    final List<String> calls = new CopyOnWriteArrayList<>();
    volatile boolean hang;

    private <T> CompletableFuture<T> answer(String call, T value) {
        calls.add(call);
        return hang ? new CompletableFuture<>() : CompletableFuture.completedFuture(value);
    }

    @Override
    public CompletableFuture<MasterStatus> status() {
        return answer("status", new MasterStatus(42, 1, "test.yaml", false, List.of(), List.of()));
    }

    @Override
    public CompletableFuture<ControlResult> suspend(String group, boolean force, boolean persist) {
        return answer("suspend " + group + " " + force + (persist ? " persist" : ""), ControlResult.done("suspended"));
    }

    @Override
    public CompletableFuture<ControlResult> start(Target target) {
        return answer("start " + target.describe(), ControlResult.done("started"));
    }

    @Override
    public CompletableFuture<ControlResult> stop(Target target, boolean force, boolean persist) {
        return answer("stop " + target.describe() + " " + force + " " + persist, ControlResult.done("stopped"));
    }

    @Override
    public CompletableFuture<ControlResult> restart(Target target) {
        return answer("restart " + target.describe(), ControlResult.done("restarted"));
    }

    @Override
    public CompletableFuture<ControlResult> rollingRestart(String group, RollingOptions options) {
        return answer("rolling " + group + " " + options.batch() + " " + options.healthyFor(),
                ControlResult.done("rolling"));
    }

    @Override
    public CompletableFuture<ControlResult> signal(Target target, String signal) {
        return answer("signal " + signal + " " + target.describe(), ControlResult.done("signalled"));
    }

    @Override
    public CompletableFuture<ControlResult> resume(String group) {
        return answer("resume " + group, ControlResult.done("resumed"));
    }

    @Override
    public CompletableFuture<ControlResult> stop() {
        return answer("stop", ControlResult.done("stopping"));
    }

    @Override
    public CompletableFuture<ControlResult> reload(DistarchConfig config, boolean dryRun) {
        return answer("reload " + dryRun, ControlResult.done("reloaded"));
    }
}
