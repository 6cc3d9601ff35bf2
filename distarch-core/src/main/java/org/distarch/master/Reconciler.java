package org.distarch.master;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import org.distarch.event.ProcessRole;
import org.distarch.instance.InstanceState;
import org.distarch.supervise.InstancePlan;

/**
 * Every change to the fleet is decided here, as a list of {@link Change}s, with no side effects: start-up,
 * suspend, resume, a service's new cycle, reload and shutdown. {@link FleetRunner#apply} carries them out.
 *
 * <p>Reload compares what runs with what a configuration wants, group by group: a group that is new starts;
 * one that is gone stops; one whose command, params or settings changed is restarted (each process replaced
 * by its new version); one whose instance count alone changed starts or stops only the difference (the
 * highest group ids go first). Running instances keep their ids; new ones get ids above every id in use.
 */
final class Reconciler {

    /** An instance as the fleet has it: what it should be, where it is now, and why it is held (null: not held). */
    record Member(InstancePlan plan, InstanceState state, String held) {
        Member(InstancePlan plan, InstanceState state) {
            this(plan, state, null);
        }
    }

    /** An operator's request on some processes: what changes, and the processes left alone with why. */
    record Decision(List<Change> changes, List<String> skipped) {}

    /** Why a held process stays down: the operator's stop. */
    static final String STOPPED_BY_OPERATOR = "stopped by operator";
    /** ... and one that an operator asked to stay down across a master restart. */
    static final String STOPPED_PERSISTED = "stopped by operator, persisted";
    /** ... and one of a group that starts only when asked. */
    static final String AUTOSTART_OFF = "autostart: false";

    private Reconciler() {}

    /** Start-up: every planned instance joins the fleet and starts. */
    static List<Change> startUp(List<InstancePlan> plans) {
        return plans.stream().<Change>map(p -> new Change.Start(p, "starting")).toList();
    }

    /**
     * Suspend or shutdown: every instance of {@code groups} that is not over yet stops, killed after {@code grace}.
     * A queue group's consumers stop only after its feeder, when that stops too (here, in an operator's stop and
     * in a reload that removes or replaces the group): the feeder's {@code stop} frame makes each consumer finish
     * what it holds and close, where a consumer asked to stop at the same moment could close on an item the
     * feeder was just sending it, lost in flight (docs/queue-protocol.md, "Stopping").
     */
    static List<Change> halt(List<Member> members, Set<String> groups, String reason,
            Function<InstancePlan, Duration> grace, String killMessage) {
        List<Member> halted = members.stream()
                .filter(m -> groups.contains(m.plan().identity().group()) && !m.state().isTerminal()).toList();
        Set<String> feedersHalted = feederGroups(halted.stream().map(Member::plan).toList());
        return halted.stream().<Change>map(m -> new Change.Halt(m.plan().identity(), reason, grace.apply(m.plan()),
                killMessage, afterFeeder(m.plan(), feedersHalted))).toList();
    }

    /** The groups whose feeder is among {@code stopping}. */
    private static Set<String> feederGroups(List<InstancePlan> stopping) {
        Set<String> groups = new HashSet<>();
        for (InstancePlan p : stopping) {
            if (p.identity().role() == ProcessRole.FEEDER) {
                groups.add(p.identity().group());
            }
        }
        return groups;
    }

    /** Whether {@code p} is a consumer whose feeder stops with it: then it stops only once the feeder has. */
    private static boolean afterFeeder(InstancePlan p, Set<String> feedersStopping) {
        return p.identity().role() == ProcessRole.CONSUMER && feedersStopping.contains(p.identity().group());
    }

    /**
     * Resume, or a service's new cycle: the instances of {@code groups} in a state {@code which} accepts start
     * again.
     */
    static List<Change> revive(List<Member> members, Set<String> groups, Predicate<InstanceState> which,
            String reason) {
        return members.stream().filter(m -> groups.contains(m.plan().identity().group()) && which.test(m.state())
                && m.held() == null).<Change>map(m -> new Change.Revive(m.plan().identity(), reason)).toList();
    }

    /**
     * An operator's start: every chosen instance that does not run starts (its hold lifted, clean budgets),
     * except in a suspended group (resume it) or while it is still stopping.
     */
    static Decision start(List<Member> members, Set<String> suspended, String reason) {
        List<Change> changes = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (Member m : members) {
            var id = m.plan().identity();
            if (suspended.contains(id.group())) {
                skipped.add(Change.prefix(id) + " left alone: its group is suspended (resume it)");
            } else if (m.state() == InstanceState.STOPPING) {
                // held or not: a release now would lift the hold but start nothing once it has stopped
                skipped.add(Change.prefix(id) + " left alone: still stopping (start it again once stopped)");
            } else if (m.held() != null || m.state().isTerminal() || m.state() == InstanceState.BACKOFF
                    || m.state() == InstanceState.CREATED) {
                changes.add(new Change.Release(id, reason));
            } else {
                skipped.add(Change.prefix(id) + " left alone: already " + m.state().name().toLowerCase());
            }
        }
        return new Decision(changes, skipped);
    }

    /**
     * An operator's stop: every chosen instance is held down as {@code held} and, if it runs, stopped (killed
     * after {@code grace}); one held already stays as it is.
     */
    static Decision stop(List<Member> members, String reason, Function<InstancePlan, Duration> grace, String held) {
        List<Change> changes = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        Set<String> feedersStopping = feederGroups(members.stream().filter(m -> !m.state().isTerminal())
                .map(Member::plan).toList());
        for (Member m : members) {
            var id = m.plan().identity();
            if (m.held() != null && m.state().isTerminal() && !held.equals(STOPPED_PERSISTED)) {
                skipped.add(Change.prefix(id) + " left alone: already stopped (" + m.held() + ")");
            } else {
                changes.add(new Change.Hold(id, reason, grace.apply(m.plan()), held,
                        afterFeeder(m.plan(), feedersStopping)));
            }
        }
        return new Decision(changes, skipped);
    }

    /**
     * An operator's restart: a running instance is stopped gracefully and started again, one in backoff, ended
     * or given up starts now; held instances and suspended groups are left alone. A queue group's consumers
     * restart once its feeder, restarted with them, has stopped (as in {@link #halt}).
     */
    static Decision restart(List<Member> members, Set<String> suspended, String reason) {
        List<Change> changes = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        // Only a running feeder's restart stops a process, whose end the consumers can wait for.
        Set<String> feedersRestarted = feederGroups(members.stream().filter(m -> !suspended.contains(
                m.plan().identity().group()) && m.held() == null && m.state() == InstanceState.RUNNING)
                .map(Member::plan).toList());
        for (Member m : members) {
            var id = m.plan().identity();
            InstanceState state = m.state();
            if (suspended.contains(id.group())) {
                skipped.add(Change.prefix(id) + " left alone: its group is suspended (resume it)");
            } else if (m.held() != null) {
                skipped.add(Change.prefix(id) + " left alone: held (" + m.held() + "); start it instead");
            } else if (state == InstanceState.RUNNING || state == InstanceState.BACKOFF || state.isTerminal()) {
                changes.add(new Change.Restart(id, reason, afterFeeder(m.plan(), feedersRestarted)));
            } else {
                skipped.add(Change.prefix(id) + " left alone: " + state.name().toLowerCase() + " already");
            }
        }
        return new Decision(changes, skipped);
    }

    /** An operator's signal, to every chosen instance whose process runs. */
    static Decision signal(List<Member> members, String signal, String reason) {
        List<Change> changes = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (Member m : members) {
            var id = m.plan().identity();
            if (m.state() == InstanceState.RUNNING || m.state() == InstanceState.STOPPING) {
                changes.add(new Change.Signal(id, signal, reason));
            } else {
                skipped.add(Change.prefix(id) + " left alone: no process runs (" + m.state().name().toLowerCase()
                        + ")");
            }
        }
        return new Decision(changes, skipped);
    }

    /**
     * @param current what the fleet runs now (or is about to), in id order
     * @param desired the new configuration's plan, with the planner's fresh ids
     */
    static List<Change> plan(List<InstancePlan> current, List<InstancePlan> desired) {
        Map<String, Map<String, InstancePlan>> now = byGroup(current);
        Map<String, Map<String, InstancePlan>> wanted = byGroup(desired);
        int nextId = current.stream().mapToInt(p -> p.identity().id()).max().orElse(0) + 1;
        List<Change> changes = new ArrayList<>();
        for (Map.Entry<String, Map<String, InstancePlan>> group : wanted.entrySet()) {
            Map<String, InstancePlan> running = now.getOrDefault(group.getKey(), Map.of());
            Map<String, InstancePlan> target = group.getValue();
            if (running.isEmpty()) {
                for (InstancePlan p : target.values()) {
                    changes.add(new Change.Start(p.withId(nextId++), "new group"));
                }
                continue;
            }
            boolean changed = !Objects.equals(running.values().iterator().next().fingerprint(),
                    target.values().iterator().next().fingerprint());
            // A queue group has no restart_strategy: it is replaced at once, never a batch at a time.
            Set<String> feederReplaced = changed
                    ? feederGroups(running.entrySet().stream().filter(r -> target.containsKey(r.getKey()))
                            .map(Map.Entry::getValue).toList())
                    : Set.of();
            for (Map.Entry<String, InstancePlan> t : target.entrySet()) {
                InstancePlan old = running.get(t.getKey());
                if (old == null) {
                    changes.add(new Change.Start(t.getValue().withId(nextId++),
                            "instances raised to " + target.size() + " from " + running.size()));
                } else if (changed) {
                    changes.add(new Change.Replace(old.identity(), t.getValue().withId(old.identity().id()),
                            "command, params or settings changed", afterFeeder(old, feederReplaced)));
                }
            }
            for (Map.Entry<String, InstancePlan> r : running.entrySet()) {
                if (!target.containsKey(r.getKey())) {
                    changes.add(new Change.Stop(r.getValue().identity(),
                            "instances lowered to " + target.size() + " from " + running.size(), false));
                }
            }
        }
        for (Map.Entry<String, Map<String, InstancePlan>> group : now.entrySet()) {
            if (!wanted.containsKey(group.getKey())) {
                Set<String> feederRemoved = feederGroups(List.copyOf(group.getValue().values()));
                for (InstancePlan p : group.getValue().values()) {
                    changes.add(new Change.Stop(p.identity(), "group removed", afterFeeder(p, feederRemoved)));
                }
            }
        }
        return changes;
    }

    /** Group name → (host and group id, in order) → plan. */
    private static Map<String, Map<String, InstancePlan>> byGroup(List<InstancePlan> plans) {
        Map<String, Map<String, InstancePlan>> groups = new LinkedHashMap<>();
        for (InstancePlan p : plans) {
            String slot = p.identity().host() + "#" + String.format("%09d", p.identity().groupId());
            groups.computeIfAbsent(p.identity().group(), g -> new TreeMap<>()).put(slot, p);
        }
        return groups;
    }
}
