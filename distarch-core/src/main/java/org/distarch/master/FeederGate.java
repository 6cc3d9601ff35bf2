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
import org.distarch.supervise.Supervised;

/**
 * Holds a queue group's consumers back until its feeder listens, so that they do not start by knocking at a
 * closed port. Only groups whose feeder this master runs are held (a remote host's relay that runs consumers
 * alone starts them at once: the main master already waited). Confined to the supervision thread.
 */
final class FeederGate {

    private final Map<String, List<Supervised>> waiting = new LinkedHashMap<>();

    /** Starts {@code members} with {@code start}, except consumers whose group's feeder is among them. */
    void start(List<Supervised> members, Consumer<Supervised> start) {
        Set<String> feeders = new HashSet<>();
        for (Supervised s : members) {
            if (s.plan().identity().role() == ProcessRole.FEEDER) {
                feeders.add(s.plan().identity().group());
            }
        }
        List<Supervised> now = new ArrayList<>();
        for (Supervised s : members) {
            var id = s.plan().identity();
            if (id.role() == ProcessRole.CONSUMER && feeders.contains(id.group())) {
                waiting.computeIfAbsent(id.group(), g -> new ArrayList<>()).add(s);
            } else {
                now.add(s);
            }
        }
        now.forEach(start);
    }

    /** The group's feeder listens: its held consumers start (unless they were stopped meanwhile). */
    void listening(String group, Consumer<Supervised> start) {
        List<Supervised> held = waiting.remove(group);
        if (held != null) {
            held.stream().filter(s -> s.state() == InstanceState.CREATED || s.state().isTerminal()
                    && s.state() != InstanceState.STOPPED).forEach(start);
        }
    }

    /** The group's feeder is over for good: consumers still held will never be let through. */
    List<Supervised> feederGone(String group) {
        List<Supervised> held = waiting.remove(group);
        return held == null ? List.of() : held;
    }

    boolean holds(String group) {
        return waiting.containsKey(group);
    }
}
