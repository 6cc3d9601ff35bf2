package org.distarch.master;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.distarch.event.ProcessRole;
import org.distarch.instance.InstanceState;
import org.distarch.supervise.InstanceSupervisor;

/**
 * Holds a queue group's consumers back until its feeder listens, so that they do not start by knocking at a
 * closed port; and, when the group halts, holds their stops back until its feeder has stopped. The feeder's
 * {@code @@distarch listening} line reaches {@link #listening} straight from its supervisor (never through the
 * observers' bus, where a slow listener could delay it), from any host. Confined to the supervision thread.
 */
final class FeederGate {

    private final Map<String, List<InstanceSupervisor>> waiting = new LinkedHashMap<>();
    private final Map<String, List<Runnable>> stopsAfterFeeder = new LinkedHashMap<>();

    /** Starts {@code members} with {@code start}, except consumers whose group's feeder is among them. */
    void start(List<InstanceSupervisor> members, Consumer<InstanceSupervisor> start) {
        Set<String> feeders = new HashSet<>();
        for (InstanceSupervisor s : members) {
            if (s.identity().role() == ProcessRole.FEEDER) {
                feeders.add(s.identity().group());
            }
        }
        List<InstanceSupervisor> now = new ArrayList<>();
        for (InstanceSupervisor s : members) {
            var id = s.identity();
            if (id.role() == ProcessRole.CONSUMER && feeders.contains(id.group())) {
                waiting.computeIfAbsent(id.group(), g -> new ArrayList<>()).add(s);
            } else {
                now.add(s);
            }
        }
        now.forEach(start);
    }

    /** The group's feeder listens: its held consumers start (unless they were stopped meanwhile). */
    void listening(String group, Consumer<InstanceSupervisor> start) {
        List<InstanceSupervisor> held = waiting.remove(group);
        if (held != null) {
            held.stream().filter(s -> s.state() == InstanceState.CREATED || s.state().isTerminal()
                    && s.state() != InstanceState.STOPPED).forEach(start);
        }
    }

    /** The group's feeder is over for good: consumers still held will never be let through. */
    List<InstanceSupervisor> feederGone(String group) {
        List<InstanceSupervisor> held = waiting.remove(group);
        return held == null ? List.of() : held;
    }

    boolean holds(String group) {
        return waiting.containsKey(group);
    }

    /** A consumer's stop (or restart), to run once its group's feeder has stopped ({@link #feederStopped}). */
    void afterFeederStops(String group, Runnable stop) {
        stopsAfterFeeder.computeIfAbsent(group, g -> new ArrayList<>()).add(stop);
    }

    /** The group's feeder has stopped (its process is gone): the consumers' stops that waited for it, now due. */
    List<Runnable> feederStopped(String group) {
        List<Runnable> due = stopsAfterFeeder.remove(group);
        return due == null ? List.of() : due;
    }
}
