package org.distarch.master;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.distarch.config.DistarchConfig;
import org.distarch.control.ControlResult;
import org.distarch.control.MasterStatus;
import org.distarch.control.ProcessStatus;
import org.distarch.instance.InstanceState;
import org.distarch.launch.Usage;
import org.distarch.supervise.InstanceSupervisor;
import org.distarch.worker.protocol.LogLevel;

/**
 * What an operator's requests do to the fleet: status, suspend, resume, reload. Each action is a
 * {@link Reconciler} plan applied by the {@link FleetRunner}, like start-up and shutdown, and is logged with
 * what it did. Runs on the supervision thread.
 */
final class FleetControl {

    private final FleetRunner runner;
    private final Fleet fleet;
    private final FleetPlanner planner;
    private final boolean service;
    private final java.util.function.LongSupplier startedAt;
    private java.util.function.Supplier<List<org.distarch.event.ListenerStats>> listeners = List::of;
    private volatile DistarchConfig config;

    FleetControl(FleetRunner runner, FleetPlanner planner, DistarchConfig config, boolean service,
            java.util.function.LongSupplier startedAt) {
        this.runner = runner;
        this.fleet = runner.fleet();
        this.planner = planner;
        this.config = config;
        this.service = service;
        this.startedAt = startedAt;
    }

    /** Where {@link #status()} finds how the event listeners keep up. */
    void listeners(java.util.function.Supplier<List<org.distarch.event.ListenerStats>> stats) {
        this.listeners = stats;
    }

    /** The configuration the fleet runs: the one it started with, or the last one reloaded. */
    DistarchConfig config() {
        return config;
    }

    MasterStatus status() {
        List<ProcessStatus> processes = new ArrayList<>();
        for (InstanceSupervisor s : fleet.all()) {
            var id = s.identity();
            Usage usage = s.usage();
            var last = s.lastTransition();
            processes.add(new ProcessStatus(id.id(), id.group(), id.host(), id.display(), s.state().name(),
                    s.pid(), s.startedAtMillis(), s.restarts(), s.lastOutputMillis(), s.lastLine(),
                    usage.cpuMillis(), usage.rssBytes(), id.groupId(), id.command(), id.role().name(),
                    last == null ? null : last.reason(), last == null ? 0 : last.at().toEpochMilli(),
                    s.stoppedAtMillis(), s.crashes(), s.timeouts(), s.lastExit()));
        }
        return new MasterStatus(ProcessHandle.current().pid(), startedAt.getAsLong(), config.source(), service,
                List.copyOf(fleet.suspended()), processes, listeners.get());
    }

    ControlResult suspend(String group, boolean force) {
        List<String> groups = targets(group);
        if (groups == null) {
            return unknownGroup(group);
        }
        if (!runner.state().accepting()) {
            return ControlResult.refused("Suspend refused: the master is " + runner.state().name().toLowerCase());
        }
        groups.forEach(fleet::suspend);
        List<Change> plan = Reconciler.halt(fleet.view(), Set.copyOf(groups), "suspended by operator",
                p -> force ? Duration.ZERO : p.stopTimeout(), null);
        runner.apply(plan);
        String message = "Suspended " + describe(groups) + ": " + count(plan.size())
                + (force ? " killed" : " asked to stop");
        runner.info(LogLevel.INFO, message);
        runner.checkDone();
        return ControlResult.done(message);
    }

    ControlResult resume(String group) {
        List<String> groups = targets(group);
        if (groups == null) {
            return unknownGroup(group);
        }
        if (!runner.state().accepting()) {
            return ControlResult.refused("Resume refused: the master is " + runner.state().name().toLowerCase());
        }
        groups.forEach(fleet::resume);
        List<Change> plan = Reconciler.revive(fleet.view(), Set.copyOf(groups),
                s -> s.isTerminal() || s == InstanceState.BACKOFF, "resumed by operator");
        runner.apply(plan);
        String message = "Resumed " + describe(groups) + ": " + count(plan.size()) + " started";
        runner.info(LogLevel.INFO, message);
        return ControlResult.done(message);
    }

    ControlResult reload(DistarchConfig newConfig, boolean dryRun) {
        List<Change> changes;
        try {
            changes = Reconciler.plan(fleet.currentPlans(), planner.plan(newConfig));
        } catch (UnsupportedConfigException | IllegalArgumentException e) {
            return ControlResult.refused("Reload refused, nothing changed: " + e.getMessage());
        }
        List<String> lines = changes.stream().map(Change::describe).toList();
        String summary = changes.isEmpty() ? "no change"
                : changes.size() + " change" + (changes.size() == 1 ? "" : "s");
        if (dryRun) {
            return new ControlResult(true, "Reload of " + newConfig.source() + " would make " + summary, lines);
        }
        if (!runner.state().accepting()) {
            return ControlResult.refused("Reload refused: the master is " + runner.state().name().toLowerCase());
        }
        runner.info(LogLevel.INFO, "Reloading " + newConfig.source() + ": " + summary);
        lines.forEach(l -> runner.info(LogLevel.INFO, "Reload: " + l));
        config = newConfig;
        runner.apply(changes);
        runner.checkDone();
        return new ControlResult(true, "Reloaded " + newConfig.source() + ": " + summary, lines);
    }

    /** The groups an action names: one (null if unknown) or, for a null name, all. */
    private List<String> targets(String group) {
        Set<String> groups = new LinkedHashSet<>(fleet.groups());
        if (group == null) {
            return List.copyOf(groups);
        }
        return groups.contains(group) ? List.of(group) : null;
    }

    private ControlResult unknownGroup(String group) {
        return ControlResult.refused("No group named \"" + group + "\"; groups: " + String.join(", ", fleet.groups()));
    }

    private static String describe(List<String> groups) {
        return groups.size() == 1 ? "group \"" + groups.get(0) + "\"" : "all groups";
    }

    private static String count(int n) {
        return n + " process" + (n == 1 ? "" : "es");
    }
}
