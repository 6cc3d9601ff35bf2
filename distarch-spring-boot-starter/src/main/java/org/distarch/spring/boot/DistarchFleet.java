package org.distarch.spring.boot;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import org.distarch.config.DistarchConfig;
import org.distarch.control.ControlPlane;
import org.distarch.control.ControlResult;
import org.distarch.control.MasterStatus;
import org.distarch.control.RollingOptions;
import org.distarch.control.Target;
import org.distarch.event.MasterEvent;

/**
 * The control handle of the master that runs in this application (from {@code run-master} on the command line,
 * or as an {@code ApplicationRunner} with {@code distarch.master.enabled=true}), as a bean: inject it into an
 * {@code @EventListener} or a controller to suspend, resume, reload or stop the fleet, or to start, stop,
 * restart or signal some of its processes. Before a master runs
 * here (and in a worker process, or a web application whose master runs elsewhere), every operation fails
 * with an {@link IllegalStateException} saying so.
 */
public final class DistarchFleet implements ControlPlane {

    /** Where the master of this application is in its life. */
    public enum State {
        /** No master runs in this application. */
        NONE,
        /** The master is starting its processes. */
        STARTING,
        /** Every process has been started; the fleet runs. */
        RUNNING,
        /** The master has stopped; {@link #exitCode()} says how. */
        STOPPED
    }

    private volatile ControlPlane master;
    private volatile State state = State.NONE;
    private volatile int exitCode = -1;
    private volatile String stopReason;

    /** This application's master, once one runs here. */
    public Optional<ControlPlane> master() {
        return Optional.ofNullable(master);
    }

    public State state() {
        return state;
    }

    /** The master's exit code once it has stopped (as {@code run-master}'s: 0 clean, 1 a failure). */
    public OptionalInt exitCode() {
        return state == State.STOPPED ? OptionalInt.of(exitCode) : OptionalInt.empty();
    }

    /** Why the master stopped, once it has. */
    public Optional<String> stopReason() {
        return state == State.STOPPED ? Optional.ofNullable(stopReason) : Optional.empty();
    }

    void attach(ControlPlane plane) {
        this.master = plane;
    }

    /** Follows the master's own events (not those of remote relays). */
    void follow(MasterEvent event) {
        if (event.remote()) {
            return;
        }
        if (event instanceof MasterEvent.Starting) {
            state = State.STARTING;
        } else if (event instanceof MasterEvent.Started) {
            state = State.RUNNING;
        } else if (event instanceof MasterEvent.Stopped stopped) {
            exitCode = stopped.exitCode();
            stopReason = stopped.reason();
            state = State.STOPPED;
        }
    }

    @Override
    public CompletableFuture<MasterStatus> status() {
        return plane().status();
    }

    @Override
    public CompletableFuture<ControlResult> suspend(String group, boolean force, boolean persist) {
        return plane().suspend(group, force, persist);
    }

    @Override
    public CompletableFuture<ControlResult> resume(String group) {
        return plane().resume(group);
    }

    @Override
    public CompletableFuture<ControlResult> stop() {
        return plane().stop();
    }

    @Override
    public CompletableFuture<ControlResult> reload(DistarchConfig config, boolean dryRun) {
        return plane().reload(config, dryRun);
    }

    @Override
    public CompletableFuture<ControlResult> start(Target target) {
        return plane().start(target);
    }

    @Override
    public CompletableFuture<ControlResult> stop(Target target, boolean force, boolean persist) {
        return plane().stop(target, force, persist);
    }

    @Override
    public CompletableFuture<ControlResult> restart(Target target) {
        return plane().restart(target);
    }

    @Override
    public CompletableFuture<ControlResult> rollingRestart(String group, RollingOptions options) {
        return plane().rollingRestart(group, options);
    }

    @Override
    public CompletableFuture<ControlResult> signal(Target target, String signal) {
        return plane().signal(target, signal);
    }

    private ControlPlane plane() {
        ControlPlane plane = master;
        if (plane == null) {
            throw new IllegalStateException("no distarch master runs in this application (start one with run-master "
                    + "or distarch.master.enabled=true)");
        }
        return plane;
    }
}
