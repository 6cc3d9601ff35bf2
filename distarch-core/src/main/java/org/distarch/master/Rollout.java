package org.distarch.master;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.distarch.control.RolloutStatus;
import org.distarch.event.ProcessEvent;
import org.distarch.instance.InstanceState;
import org.distarch.supervise.InstanceSupervisor;
import org.distarch.supervise.Scheduler;

/**
 * One rolling restart of one group: its processes are replaced {@code batch} at a time, each next batch only once
 * every new process of the current one has run healthy (still the same process, running, not timed out) for
 * {@code healthyFor}. A new process that crashes, fails to start, times out or ends before that halts the rollout:
 * the processes not reached yet keep their old version, and the failed one is left to its restart policy.
 *
 * <p>Each step is a list of {@link Change}s (a {@link Change.Restart} for an operator's or a scheduled restart, a
 * {@link Change.Replace} for a reload) carried out by {@link FleetRunner#apply}, like every change to the fleet. The
 * rollout follows its processes through their events, heard first hand on the supervision thread, and one timer per
 * new process; it never polls. Confined to the supervision thread.
 */
final class Rollout {

    enum State { RUNNING, DONE, HALTED, ABORTED }

    /** Where a process of the current batch is: its old version stopping, its new one starting, or running since. */
    private enum Phase { OLD_STOPPING, STARTING, RUNNING }

    private static final class Watch {
        final int id;
        final String name;
        Phase phase;
        long pid;
        Scheduler.Cancellable timer = Scheduler.Cancellable.NONE;

        Watch(int id, String name, Phase phase) {
            this.id = id;
            this.name = name;
            this.phase = phase;
        }
    }

    /** What a rollout needs of the fleet. */
    interface Fleet {
        void apply(List<Change> changes);

        InstanceSupervisor member(int id);

        void log(boolean error, String message);
    }

    private final String group;
    private final String cause;
    private final int batch;
    private final Duration healthyFor;
    private final Deque<Change> pending;
    private final int total;
    private final Fleet fleet;
    private final Scheduler scheduler;
    private final Clock clock;
    private final Consumer<Rollout> ended;
    private final Map<Integer, Watch> current = new LinkedHashMap<>();
    private final long startedAt;
    private final List<String> skipped = new ArrayList<>();
    private State state = State.RUNNING;
    private int replaced;
    private long endedAt;
    private String message;

    /**
     * @param steps one change per process, in the order they go: a {@link Change.Restart} or a
     *              {@link Change.Replace}
     */
    Rollout(String group, String cause, int batch, Duration healthyFor, List<Change> steps, Fleet fleet,
            Scheduler scheduler, Consumer<Rollout> ended) {
        this.group = group;
        this.cause = cause;
        this.batch = batch;
        this.healthyFor = healthyFor;
        this.pending = new ArrayDeque<>(steps);
        this.total = steps.size();
        this.fleet = fleet;
        this.scheduler = scheduler;
        this.clock = scheduler.clock();
        this.ended = ended;
        this.startedAt = clock.millis();
        this.message = "replacing " + total + " process" + (total == 1 ? "" : "es") + ", " + batch + " at a time";
    }

    String group() {
        return group;
    }

    State state() {
        return state;
    }

    /** What the rollout left alone, so far (held processes, stopping ones). */
    List<String> skipped() {
        return List.copyOf(skipped);
    }

    /** Begins the first batch. */
    void begin() {
        next();
    }

    RolloutStatus status() {
        return new RolloutStatus(group, cause, state.name(), batch, healthyFor.toMillis(), replaced, total, startedAt,
                endedAt, message);
    }

    /** Ends the rollout where it stands (the group suspended or removed, the master stopping). */
    void abort(String why) {
        if (state != State.RUNNING) {
            return;
        }
        finish(State.ABORTED, "aborted: " + why + "; " + progress(), false);
    }

    /** A process event, heard on the supervision thread. */
    void heard(ProcessEvent event) {
        Watch w = current.get(event.process().id());
        if (w == null || state != State.RUNNING) {
            return;
        }
        if (event instanceof ProcessEvent.Starting && w.phase == Phase.OLD_STOPPING) {
            w.phase = Phase.STARTING;
        } else if (event instanceof ProcessEvent.Started started && w.phase == Phase.STARTING) {
            w.phase = Phase.RUNNING;
            w.pid = started.pid();
            w.timer = scheduler.schedule(healthyFor, () -> checkHealthy(w));
        } else if (event instanceof ProcessEvent.TimedOut && w.phase == Phase.RUNNING) {
            halt(w, "timed out (silent)");
        } else if (event instanceof ProcessEvent.Stopped stopped && w.phase != Phase.OLD_STOPPING) {
            if (stopped.outcome() == ProcessEvent.Outcome.STOPPED) {
                // An operator stopped or suspended it meanwhile: not the new version's fault.
                w.timer.cancel();
                current.remove(w.id);
                skipped.add(w.name + " stopped meanwhile");
                afterProgress();
            } else {
                halt(w, stopped.outcome() == ProcessEvent.Outcome.ENDED ? "ended before it had run healthy for "
                        + seconds(healthyFor) : stopped.reason());
            }
        }
    }

    private void checkHealthy(Watch w) {
        if (state != State.RUNNING || current.get(w.id) != w) {
            return;
        }
        InstanceSupervisor s = fleet.member(w.id);
        if (s == null || s.state() != InstanceState.RUNNING || s.pid() != w.pid) {
            halt(w, "did not stay up for " + seconds(healthyFor));
            return;
        }
        current.remove(w.id);
        replaced++;
        afterProgress();
    }

    private void afterProgress() {
        if (current.isEmpty()) {
            next();
        } else {
            message = progress();
        }
    }

    /** Applies the next batch, or ends the rollout when none is left. */
    private void next() {
        List<Change> step = new ArrayList<>();
        while (current.size() < batch && !pending.isEmpty()) {
            Change change = pending.poll();
            int id = change instanceof Change.Replace r ? r.old().id() : ((Change.Restart) change).process().id();
            InstanceSupervisor s = fleet.member(id);
            String name = s == null ? "process " + id : Change.prefix(s.identity());
            if (s == null) {
                skipped.add(name + " is gone");
            } else if (change instanceof Change.Replace && (s.state().isTerminal() || s.held() != null)) {
                fleet.apply(List.of(change)); // nothing runs: replaced at once, nothing to wait for
                replaced++;
            } else if (s.held() != null) {
                skipped.add(name + " left alone: held (" + s.held() + ")");
            } else if (s.state() == InstanceState.STOPPING) {
                skipped.add(name + " left alone: stopping");
            } else if (s.state() == InstanceState.STARTING) {
                current.put(id, new Watch(id, name, Phase.STARTING)); // starting anyway: wait for it
            } else {
                current.put(id, new Watch(id, name, Phase.OLD_STOPPING));
                step.add(change);
            }
        }
        if (current.isEmpty() && step.isEmpty()) {
            finish(State.DONE, "done: " + replaced + " of " + total + " replaced"
                    + (skipped.isEmpty() ? "" : ", " + skipped.size() + " left alone"), false);
            return;
        }
        message = progress();
        // Registered before the changes apply: a start may report back within apply itself.
        fleet.apply(step);
    }

    private void halt(Watch w, String why) {
        w.timer.cancel();
        current.remove(w.id);
        finish(State.HALTED, "halted: the new version of " + w.name + " " + why + "; " + progress()
                + ", the others keep their old version", true);
    }

    private void finish(State end, String text, boolean error) {
        current.values().forEach(w -> w.timer.cancel());
        current.clear();
        state = end;
        endedAt = clock.millis();
        message = text;
        fleet.log(error, "Rolling restart of group \"" + group + "\" (" + cause + ") " + text);
        ended.accept(this);
    }

    private String progress() {
        return replaced + " of " + total + " replaced" + (current.isEmpty() ? "" : ", " + current.size()
                + " in progress");
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : String.format("%.1fs", d.toMillis() / 1000.0);
    }
}
