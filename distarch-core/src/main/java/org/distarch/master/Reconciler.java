package org.distarch.master;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.distarch.supervise.InstancePlan;

/**
 * Compares what runs with what a configuration wants, group by group, and says what must change; no side
 * effects. A group that is new starts; one that is gone stops; one whose command, params or settings
 * changed is restarted (each process replaced by its new version); one whose instance count alone
 * changed starts or stops only the difference (the highest group ids go first). Running instances keep
 * their ids; new ones get ids above every id in use.
 */
final class Reconciler {

    private Reconciler() {}

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
            for (Map.Entry<String, InstancePlan> t : target.entrySet()) {
                InstancePlan old = running.get(t.getKey());
                if (old == null) {
                    changes.add(new Change.Start(t.getValue().withId(nextId++),
                            "instances raised to " + target.size() + " from " + running.size()));
                } else if (changed) {
                    changes.add(new Change.Replace(old.identity(), t.getValue().withId(old.identity().id()),
                            "command, params or settings changed"));
                }
            }
            for (Map.Entry<String, InstancePlan> r : running.entrySet()) {
                if (!target.containsKey(r.getKey())) {
                    changes.add(new Change.Stop(r.getValue().identity(),
                            "instances lowered to " + target.size() + " from " + running.size()));
                }
            }
        }
        for (Map.Entry<String, Map<String, InstancePlan>> group : now.entrySet()) {
            if (!wanted.containsKey(group.getKey())) {
                for (InstancePlan p : group.getValue().values()) {
                    changes.add(new Change.Stop(p.identity(), "group removed"));
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
