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

/**
 * The instances a master supervises, by group, with the groups an operator suspended and the instances a
 * reload is retiring (removed once stopped, possibly handing over to a successor). Confined to the
 * supervision thread.
 */
final class Fleet {

    private final List<InstanceSupervisor> supervisors = new ArrayList<>();
    private final Set<String> suspended = new LinkedHashSet<>();
    private final Map<InstanceSupervisor, Runnable> retiring = new HashMap<>();
    private final BiFunction<InstancePlan, Consumer<InstanceSupervisor>, InstanceSupervisor> factory;

    /** @param factory makes a supervisor for a plan, calling the given callback when that supervisor settles */
    Fleet(BiFunction<InstancePlan, Consumer<InstanceSupervisor>, InstanceSupervisor> factory) {
        this.factory = factory;
    }

    List<InstanceSupervisor> all() {
        return supervisors;
    }

    /** What runs or should run, without the instances a reload is retiring. */
    List<InstancePlan> currentPlans() {
        return supervisors.stream().filter(s -> !retiring.containsKey(s)).map(InstanceSupervisor::plan).toList();
    }

    Set<String> groups() {
        Set<String> names = new LinkedHashSet<>();
        supervisors.forEach(s -> names.add(s.plan().identity().group()));
        return names;
    }

    List<InstanceSupervisor> group(String name) {
        return supervisors.stream().filter(s -> s.plan().identity().group().equals(name)).toList();
    }

    Set<String> suspended() {
        return suspended;
    }

    boolean isSuspended(String group) {
        return suspended.contains(group);
    }

    InstanceSupervisor add(InstancePlan plan) {
        InstanceSupervisor s = factory.apply(plan, this::settled);
        supervisors.add(s);
        supervisors.sort(Comparator.comparingInt(x -> x.plan().identity().id()));
        return s;
    }

    /** Retires {@code s}: stops it, removes it once stopped, then runs {@code then} (may be null). */
    void retire(InstanceSupervisor s, String reason, Duration grace, Runnable then) {
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

    private void settled(InstanceSupervisor s) {
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
