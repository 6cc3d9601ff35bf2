package org.distarch.master;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.distarch.supervise.InstancePlan;
import org.distarch.supervise.InstanceSupervisor;

/**
 * The instances a master supervises, local and remote alike, with the groups an operator suspended and the
 * instances a reload is retiring (removed once stopped, possibly handing over to a successor). Confined to
 * the supervision thread.
 */
final class Fleet {

    private final List<InstanceSupervisor> members = new ArrayList<>();
    private final Set<String> suspended = new LinkedHashSet<>();
    private final Map<InstanceSupervisor, Runnable> retiring = new HashMap<>();
    /** The current (not retiring) member of each id: plans name instances by id, a thousand at a time. */
    private final Map<Integer, InstanceSupervisor> byId = new HashMap<>();
    private final Function<InstancePlan, InstanceSupervisor> factory;

    Fleet(Function<InstancePlan, InstanceSupervisor> factory) {
        this.factory = factory;
    }

    List<InstanceSupervisor> all() {
        return members;
    }

    /** What runs or should run, without the instances a reload is retiring. */
    List<InstancePlan> currentPlans() {
        return members.stream().filter(s -> !retiring.containsKey(s)).map(InstanceSupervisor::plan).toList();
    }

    /** Every member with its state, for the {@link Reconciler}. */
    List<Reconciler.Member> view() {
        return members.stream().filter(s -> !retiring.containsKey(s))
                .map(s -> new Reconciler.Member(s.plan(), s.state(), s.held())).toList();
    }

    Set<String> groups() {
        Set<String> names = new LinkedHashSet<>();
        members.forEach(s -> names.add(s.identity().group()));
        return names;
    }

    List<InstanceSupervisor> group(String name) {
        return members.stream().filter(s -> s.identity().group().equals(name)).toList();
    }

    Optional<InstanceSupervisor> byId(int id) {
        return Optional.ofNullable(byId.get(id));
    }

    Set<String> suspended() {
        return suspended;
    }

    boolean isSuspended(String group) {
        return suspended.contains(group);
    }

    InstanceSupervisor add(InstancePlan plan) {
        InstanceSupervisor s = factory.apply(plan);
        members.add(s);
        byId.put(s.identity().id(), s);
        members.sort(Comparator.comparingInt(x -> x.identity().id()));
        return s;
    }

    /** Marks {@code s} for removal once it has stopped, then {@code then} runs (may be null). */
    void retire(InstanceSupervisor s, Runnable then) {
        retiring.put(s, then == null ? () -> { } : then);
        byId.remove(s.identity().id(), s);
    }

    /** Whether an operator holds a process down (autostart: false does not count: nobody asked). */
    boolean anyHeldByOperator() {
        return members.stream().anyMatch(s -> s.held() != null && !s.held().equals(Reconciler.AUTOSTART_OFF));
    }

    /** Whether nothing can start by itself: every group suspended, or every process held or suspended. */
    boolean allDown() {
        return members.stream().allMatch(s -> s.held() != null || suspended.contains(s.identity().group()));
    }

    boolean allTerminal() {
        return members.stream().allMatch(s -> s.state().isTerminal());
    }

    boolean anyProcess() {
        return members.stream().anyMatch(s -> s.state().hasProcess());
    }

    /** Every group is suspended (or there is none): a service then idles. */
    boolean allSuspended() {
        return suspended.containsAll(groups());
    }

    void suspend(String group) {
        suspended.add(group);
    }

    void resume(String group) {
        suspended.remove(group);
    }

    /** {@code s} reached a terminal state: a retiring member leaves now and hands over to its successor. */
    void settled(InstanceSupervisor s) {
        Runnable then = retiring.remove(s);
        if (then != null) {
            members.remove(s);
            if (group(s.identity().group()).isEmpty()) {
                suspended.remove(s.identity().group());
            }
            then.run();
        }
    }
}
