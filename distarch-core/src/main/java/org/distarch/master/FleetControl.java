package org.distarch.master;

import java.util.ArrayList;
import java.util.List;
import org.distarch.config.DistarchConfig;
import org.distarch.control.ControlResult;
import org.distarch.control.MasterStatus;
import org.distarch.control.ProcessStats;
import org.distarch.control.ProcessStatus;
import org.distarch.instance.InstanceState;
import org.distarch.supervise.Supervised;
import org.distarch.worker.protocol.LogLevel;

/**
 * What an operator's requests do to the fleet: status, suspend, resume, reload (through the pure
 * {@link Reconciler}). {@link Master} runs these on its supervision thread and offers them as its
 * {@link org.distarch.control.ControlPlane}; every action is logged with what it did.
 */
final class FleetControl {

    private final Fleet fleet;
    private final FleetPlanner planner;
    private final Master master;

    FleetControl(Fleet fleet, FleetPlanner planner, Master master) {
        this.fleet = fleet;
        this.planner = planner;
        this.master = master;
    }

    MasterStatus status() {
        {
            List<ProcessStatus> processes = new ArrayList<>();
            for (Supervised s : fleet.all()) {
                var id = s.plan().identity();
                ProcessStats.Usage usage = s.local() ? ProcessStats.of(s.pid()) : new ProcessStats.Usage(0, 0);
                processes.add(new ProcessStatus(id.id(), id.group(), id.host(), id.display(), s.state().name(),
                        s.pid(), s.startedAtMillis(), s.restarts(), s.lastOutputMillis(), s.lastLine(),
                        usage.cpuMillis(), usage.rssBytes()));
            }
            return new MasterStatus(ProcessHandle.current().pid(), master.startedAt(), master.config().source(), master.service(),
                    List.copyOf(fleet.suspended()), processes);
        }
    }

    ControlResult suspend(String group, boolean force) {
        {
            List<String> groups = targets(group);
            if (groups == null) {
                return unknownGroup(group);
            }
            int count = 0;
            for (String g : groups) {
                fleet.suspend(g);
                for (Supervised s : fleet.group(g)) {
                    if (!s.state().isTerminal()) {
                        count++;
                    }
                    s.stop("suspended by operator", force ? null : s.plan().stopTimeout());
                    if (force) {
                        s.kill();
                    }
                }
            }
            String message = "Suspended " + describe(groups) + ": " + count + " process" + (count == 1 ? "" : "es")
                    + (force ? " killed" : " asked to stop");
            master.info(LogLevel.INFO, message);
            master.checkDone();
            return ControlResult.done(message);
        }
    }

    ControlResult resume(String group) {
        {
            List<String> groups = targets(group);
            if (groups == null) {
                return unknownGroup(group);
            }
            int count = 0;
            for (String g : groups) {
                fleet.resume(g);
                for (Supervised s : fleet.group(g)) {
                    if (s.state().isTerminal() || s.state() == InstanceState.BACKOFF) {
                        s.resume();
                        count++;
                    }
                }
            }
            String message = "Resumed " + describe(groups) + ": " + count + " process" + (count == 1 ? "" : "es")
                    + " started";
            master.info(LogLevel.INFO, message);
            return ControlResult.done(message);
        }
    }

    ControlResult reload(DistarchConfig newConfig, boolean dryRun) {
        {
            List<Change> changes;
            try {
                changes = Reconciler.plan(fleet.currentPlans(), planner.plan(newConfig));
            } catch (UnsupportedConfigException | IllegalArgumentException e) {
                return ControlResult.refused("Reload refused, nothing changed: " + e.getMessage());
            }
            if (changes.stream().anyMatch(FleetControl::touchesRemote)) {
                return ControlResult.refused("Reload refused, nothing changed: it would change remote entries, which "
                        + "reload does not do yet (restart the master to change them)");
            }
            List<String> lines = changes.stream().map(Change::describe).toList();
            String summary = changes.isEmpty() ? "no change" : changes.size() + " change" + (changes.size() == 1 ? "" : "s");
            if (dryRun) {
                return new ControlResult(true, "Reload of " + newConfig.source() + " would make " + summary, lines);
            }
            if (master.stopping()) {
                return ControlResult.refused("Reload refused: the master is stopping");
            }
            master.info(LogLevel.INFO, "Reloading " + newConfig.source() + ": " + summary);
            lines.forEach(l -> master.info(LogLevel.INFO, "Reload: " + l));
            master.config(newConfig);
            apply(changes);
            master.checkDone();
            return new ControlResult(true, "Reloaded " + newConfig.source() + ": " + summary, lines);
        }
    }

    private static boolean touchesRemote(Change change) {
        if (change instanceof Change.Start start) {
            return start.plan().remote() != null;
        }
        if (change instanceof Change.Replace replace) {
            return replace.plan().remote() != null;
        }
        return !((Change.Stop) change).process().host().equals(FleetPlanner.LOCAL_HOST);
    }

    private void apply(List<Change> changes) {
        for (Change change : changes) {
            if (change instanceof Change.Start start) {
                Supervised s = fleet.add(start.plan());
                if (!fleet.isSuspended(start.plan().identity().group())) {
                    s.start();
                }
            } else if (change instanceof Change.Stop stop) {
                supervisorOf(stop.process().id()).ifPresent(s ->
                        fleet.retire(s, "reload: " + stop.reason(), s.plan().stopTimeout(), null));
            } else if (change instanceof Change.Replace replace) {
                supervisorOf(replace.old().id()).ifPresent(old -> {
                    Supervised successor = fleet.add(replace.plan());
                    boolean start = !fleet.isSuspended(replace.plan().identity().group());
                    fleet.retire(old, "reload: " + replace.reason(), old.plan().stopTimeout(), () -> {
                        if (start && !master.stopping()) {
                            successor.start();
                        }
                    });
                });
            }
        }
    }

    private java.util.Optional<Supervised> supervisorOf(int id) {
        return fleet.currentPlans().stream().filter(p -> p.identity().id() == id).findFirst()
                .flatMap(p -> fleet.all().stream().filter(s -> s.plan() == p).findFirst());
    }

    /** The groups an action names: one (null if unknown) or, for a null name, all. */
    private List<String> targets(String group) {
        if (group == null) {
            return List.copyOf(fleet.groups());
        }
        return fleet.groups().contains(group) ? List.of(group) : null;
    }

    private ControlResult unknownGroup(String group) {
        return ControlResult.refused("No group named \"" + group + "\"; groups: " + String.join(", ", fleet.groups()));
    }

    private static String describe(List<String> groups) {
        return groups.size() == 1 ? "group \"" + groups.get(0) + "\"" : "all groups";
    }
}
