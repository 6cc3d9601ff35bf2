package org.distarch.master;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.distarch.supervise.InstancePlan;
import org.distarch.supervise.InstanceSupervisor;
import org.distarch.supervise.Supervised;

/**
 * The instances a master supervises, by group, with the groups an operator suspended and the instances a
 * reload is retiring (removed once stopped, possibly handing over to a successor). Confined to the
 * supervision thread.
 */
final class Fleet {

    private final List<Supervised> supervisors = new ArrayList<>();
    private final Set<String> suspended = new LinkedHashSet<>();
    private final Map<Supervised, Runnable> retiring = new HashMap<>();
    private final BiFunction<InstancePlan, Consumer<Supervised>, Supervised> factory;

    /** @param factory makes a supervisor for a plan, calling the given callback when that supervisor settles */
    Fleet(BiFunction<InstancePlan, Consumer<Supervised>, Supervised> factory) {
        this.factory = factory;
    }

    List<Supervised> all() {
        return supervisors;
    }

    /** What runs or should run, without the instances a reload is retiring. */
    List<InstancePlan> currentPlans() {
        return supervisors.stream().filter(s -> !retiring.containsKey(s)).map(Supervised::plan).toList();
    }

    Set<String> groups() {
        Set<String> names = new LinkedHashSet<>();
        supervisors.forEach(s -> names.add(s.plan().identity().group()));
        return names;
    }

    List<Supervised> group(String name) {
        return supervisors.stream().filter(s -> s.plan().identity().group().equals(name)).toList();
    }

    Set<String> suspended() {
        return suspended;
    }

    boolean isSuspended(String group) {
        return suspended.contains(group);
    }

    Supervised add(InstancePlan plan) {
        Supervised s = factory.apply(plan, this::settled);
        supervisors.add(s);
        supervisors.sort(Comparator.comparingInt(x -> x.plan().identity().id()));
        return s;
    }

    /** Adds a member made elsewhere (a remote host's mirror). */
    void addMember(Supervised s) {
        supervisors.add(s);
        supervisors.sort(Comparator.comparingInt(x -> x.plan().identity().id()));
    }

    /** Retires {@code s}: stops it, removes it once stopped, then runs {@code then} (may be null). */
    void retire(Supervised s, String reason, Duration grace, Runnable then) {
        retiring.put(s, then == null ? () -> { } : then);
        s.stop(reason, grace);
    }

    boolean allTerminal() {
        return supervisors.stream().allMatch(s -> s.state().isTerminal());
    }

    boolean anyProcess() {
        return supervisors.stream().anyMatch(s -> s.state().hasProcess());
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

    void settled(Supervised s) {
        Runnable then = retiring.remove(s);
        if (then != null) {
            supervisors.remove(s);
            if (group(s.plan().identity().group()).isEmpty()) {
                suspended.remove(s.plan().identity().group());
            }
            then.run();
        }
    }
}
