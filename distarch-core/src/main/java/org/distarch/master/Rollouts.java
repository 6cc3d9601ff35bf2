package org.distarch.master;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.distarch.control.RolloutStatus;
import org.distarch.event.ProcessEvent;
import org.distarch.supervise.InstanceSupervisor;
import org.distarch.supervise.Scheduler;
import org.distarch.worker.protocol.LogLevel;

/**
 * The rolling restarts of a fleet: at most one under way per group, and the last one of each group kept for
 * {@code status}. Confined to the supervision thread.
 */
final class Rollouts {

    private final FleetRunner runner;
    private final Scheduler scheduler;
    private final Map<String, Rollout> byGroup = new LinkedHashMap<>();

    Rollouts(FleetRunner runner, Scheduler scheduler) {
        this.runner = runner;
        this.scheduler = scheduler;
    }

    /** Whether a rollout of {@code group} is under way. */
    boolean running(String group) {
        Rollout r = byGroup.get(group);
        return r != null && r.state() == Rollout.State.RUNNING;
    }

    /** The group's rollout under way or last ended, or null. */
    RolloutStatus status(String group) {
        Rollout r = byGroup.get(group);
        return r == null ? null : r.status();
    }

    /**
     * Begins a rollout of {@code steps} (one {@link Change.Restart} or {@link Change.Replace} per process) and
     * returns it; one under way for the group is aborted first.
     */
    Rollout begin(String group, String cause, int batch, Duration healthyFor, List<Change> steps) {
        Rollout old = byGroup.get(group);
        if (old != null) {
            old.abort("a new rolling restart of the group began (" + cause + ")");
        }
        Rollout rollout = new Rollout(group, cause, batch, healthyFor, steps, new Rollout.Fleet() {
            @Override
            public void apply(List<Change> changes) {
                runner.apply(changes);
            }

            @Override
            public InstanceSupervisor member(int id) {
                return runner.fleet().byId(id).orElse(null);
            }

            @Override
            public void log(boolean error, String message) {
                runner.info(error ? LogLevel.ERROR : LogLevel.INFO, message);
            }
        }, scheduler, r -> { });
        byGroup.put(group, rollout);
        runner.info(LogLevel.INFO, "Rolling restart of group \"" + group + "\" (" + cause + ") began: "
                + steps.size() + " process" + (steps.size() == 1 ? "" : "es") + ", " + batch + " at a time, each "
                + "next batch once the new ones ran healthy for " + Durations.text(healthyFor));
        rollout.begin();
        return rollout;
    }

    /** A rollout begun, or why none could be. */
    record Begun(Rollout rollout, String refusal) {}

    /**
     * A rolling restart of every process of {@code group} (an operator's or a scheduled one), {@code batch} at a
     * time (null: the group's rolling_batch), each healthy for {@code healthyFor} (null: rolling_healthy_time).
     */
    Begun restart(String group, String cause, Integer batch, Duration healthyFor) {
        if (!runner.fleet().groups().contains(group)) {
            return new Begun(null, "no group named \"" + group + "\"; groups: "
                    + String.join(", ", runner.fleet().groups()));
        }
        if (!runner.state().accepting()) {
            return new Begun(null, "the master is " + runner.state().name().toLowerCase());
        }
        if (runner.fleet().isSuspended(group)) {
            return new Begun(null, "the group is suspended (resume it)");
        }
        if (running(group)) {
            return new Begun(null, "a rolling restart of the group is under way (" + status(group).message() + ")");
        }
        var settings = runner.lifecycle(group);
        List<Change> steps = runner.fleet().view().stream().filter(m -> m.plan().identity().group().equals(group))
                .<Change>map(m -> new Change.Restart(m.plan().identity(), "rolling restart (" + cause + ")", false))
                .toList();
        return new Begun(begin(group, cause, batch != null ? batch : settings.rollingBatch(),
                healthyFor != null ? healthyFor : settings.rollingHealthyTime(), steps), null);
    }

    void heard(ProcessEvent event) {
        Rollout r = byGroup.get(event.process().group());
        if (r != null) {
            r.heard(event);
        }
    }

    void abort(String group, String why) {
        Rollout r = byGroup.get(group);
        if (r != null) {
            r.abort(why);
        }
    }

    void abortAll(String why) {
        byGroup.values().forEach(r -> r.abort(why));
    }

    /** A group left the fleet: its rollout ends and is forgotten. */
    void forget(String group) {
        abort(group, "the group was removed");
        byGroup.remove(group);
    }
}
