package org.distarch.master;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.distarch.config.DistarchConfig;
import org.distarch.control.ControlResult;
import java.util.LinkedHashMap;
import java.util.Map;
import org.distarch.config.LifecycleSettings;
import org.distarch.control.GroupStatus;
import org.distarch.control.MasterStatus;
import org.distarch.control.ProcessStatus;
import org.distarch.instance.InstanceState;
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
    private final OperatorState persisted;
    private final ProcessControl processes;
    private final boolean service;
    private final java.util.function.LongSupplier startedAt;
    private java.util.function.Supplier<List<org.distarch.event.ListenerStats>> listeners = List::of;
    private java.util.function.Supplier<List<org.distarch.control.RelayStatus>> relays = List::of;
    private volatile DistarchConfig config;

    FleetControl(FleetRunner runner, FleetPlanner planner, DistarchConfig config, boolean service,
            java.util.function.LongSupplier startedAt) {
        this(runner, planner, config, service, startedAt, OperatorState.none());
    }

    FleetControl(FleetRunner runner, FleetPlanner planner, DistarchConfig config, boolean service,
            java.util.function.LongSupplier startedAt, OperatorState persisted) {
        this.runner = runner;
        this.fleet = runner.fleet();
        this.planner = planner;
        this.config = config;
        this.service = service;
        this.startedAt = startedAt;
        this.persisted = persisted;
        this.processes = new ProcessControl(runner, persisted);
    }

    /** start, stop, restart, signal and rolling restarts of chosen processes. */
    ProcessControl processes() {
        return processes;
    }

    /** Each group's lifecycle settings in {@code config}: autostart, restart strategy, scheduled restarts. */
    static Map<String, LifecycleSettings> lifecycles(DistarchConfig config) {
        Map<String, LifecycleSettings> all = new LinkedHashMap<>();
        config.groups().forEach(g -> all.put(g.name(), g.lifecycle()));
        config.queueGroups().forEach(q -> all.put(q.name(), LifecycleSettings.DEFAULT));
        return all;
    }

    /** Where {@link #status()} finds how the event listeners keep up. */
    void listeners(java.util.function.Supplier<List<org.distarch.event.ListenerStats>> stats) {
        this.listeners = stats;
    }

    /** Where {@link #status()} finds the remote hosts' relays and their connection state. */
    void relays(java.util.function.Supplier<List<org.distarch.control.RelayStatus>> relays) {
        this.relays = relays;
    }

    /** The configuration the fleet runs: the one it started with, or the last one reloaded. */
    DistarchConfig config() {
        return config;
    }

    /**
     * The status without CPU and memory (zero), and the processes with a pid, whose figures the
     * {@link UsageSampler} fills in off the supervision thread.
     */
    UsageSampler.Snapshot snapshot() {
        List<ProcessStatus> processes = new ArrayList<>();
        List<UsageSampler.Running> running = new ArrayList<>();
        for (InstanceSupervisor s : fleet.all()) {
            var id = s.identity();
            if (s.pid() > 0) {
                running.add(new UsageSampler.Running(id.id(), s.pid(), s.usageReader()));
            }
            var last = s.lastTransition();
            processes.add(new ProcessStatus(id.id(), id.group(), id.host(), id.display(), s.state().name(),
                    s.pid(), s.startedAtMillis(), s.restarts(), s.lastOutputMillis(), s.lastLine(),
                    0, 0, s.held(), id.groupId(), id.command(), id.role().name(),
                    last == null ? null : last.reason(), last == null ? 0 : last.at().toEpochMilli(),
                    s.stoppedAtMillis(), s.crashes(), s.timeouts(), s.lastExit()));
        }
        List<GroupStatus> groups = new ArrayList<>();
        for (String g : fleet.groups()) {
            LifecycleSettings l = runner.lifecycle(g);
            groups.add(new GroupStatus(g, fleet.isSuspended(g), persisted.isSuspended(g), l.autostart(),
                    RestartSchedules.setting(l), runner.schedules().nextMillis(g), runner.rollouts().status(g)));
        }
        return new UsageSampler.Snapshot(new MasterStatus(ProcessHandle.current().pid(), startedAt.getAsLong(),
                config.source(), service, List.copyOf(fleet.suspended()), processes, listeners.get(), groups,
                relays.get()), running);
    }

    ControlResult suspend(String group, boolean force) {
        return suspend(group, force, false);
    }

    ControlResult suspend(String group, boolean force, boolean persist) {
        List<String> groups = targets(group);
        if (groups == null) {
            return unknownGroup(group);
        }
        if (!runner.state().accepting()) {
            return ControlResult.refused("Suspend refused: the master is " + runner.state().name().toLowerCase());
        }
        if (persist && !persisted.enabled()) {
            return ControlResult.refused("Suspend refused: this master has no state file to persist to (it has no "
                    + "pid file); nothing was done");
        }
        String problem = persist ? persisted.suspend(groups) : null;
        groups.forEach(fleet::suspend);
        groups.forEach(g -> runner.rollouts().abort(g, "the group was suspended"));
        List<Change> plan = Reconciler.halt(fleet.view(), Set.copyOf(groups), "suspended by operator",
                p -> force ? Duration.ZERO : p.stopTimeout(), null);
        runner.apply(plan);
        String message = "Suspended " + describe(groups) + ": " + count(plan.size())
                + (force ? " killed" : " asked to stop") + (persist ? " (persisted: kept suspended when the master "
                + "starts again, until resume)" : "") + (problem == null ? "" : "; but " + problem);
        runner.info(problem == null ? LogLevel.INFO : LogLevel.ERROR, message);
        runner.checkDone();
        return new ControlResult(problem == null, message, List.of());
    }

    ControlResult resume(String group) {
        List<String> groups = targets(group);
        if (groups == null) {
            return unknownGroup(group);
        }
        if (!runner.state().accepting()) {
            return ControlResult.refused("Resume refused: the master is " + runner.state().name().toLowerCase());
        }
        String problem = persisted.resume(groups);
        groups.forEach(fleet::resume);
        List<Change> plan = Reconciler.revive(fleet.view(), Set.copyOf(groups),
                s -> s.isTerminal() || s == InstanceState.BACKOFF, "resumed by operator");
        runner.apply(plan);
        long held = fleet.view().stream().filter(m -> groups.contains(m.plan().identity().group()) && m.held() != null)
                .count();
        String message = "Resumed " + describe(groups) + ": " + count(plan.size()) + " started"
                + (held == 0 ? "" : ", " + count((int) held) + " held (start them)")
                + (problem == null ? "" : "; but " + problem);
        runner.info(problem == null ? LogLevel.INFO : LogLevel.ERROR, message);
        return new ControlResult(problem == null, message, List.of());
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
        Map<String, LifecycleSettings> lifecycles = lifecycles(newConfig);
        runner.lifecycles(lifecycles);
        fleet.groups().stream().filter(g -> !lifecycles.containsKey(g)).forEach(runner.rollouts()::forget);
        // A changed group with restart_strategy: rolling is replaced a batch at a time; the rest at once.
        Map<String, List<Change>> rolling = new LinkedHashMap<>();
        List<Change> now = new ArrayList<>();
        for (Change c : changes) {
            String group = c instanceof Change.Replace r ? r.plan().identity().group() : null;
            if (group != null && lifecycles.get(group).restartStrategy() == LifecycleSettings.RestartStrategy.ROLLING
                    && !fleet.isSuspended(group)) {
                rolling.computeIfAbsent(group, g -> new ArrayList<>()).add(c);
            } else {
                now.add(c);
            }
        }
        runner.apply(now);
        rolling.forEach((group, steps) -> {
            LifecycleSettings l = lifecycles.get(group);
            runner.rollouts().begin(group, "reload", l.rollingBatch(), l.rollingHealthyTime(), steps);
        });
        runner.checkDone();
        return new ControlResult(true, "Reloaded " + newConfig.source() + ": " + summary
                + (rolling.isEmpty() ? "" : "; rolling restart of " + String.join(", ", rolling.keySet())), lines);
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
