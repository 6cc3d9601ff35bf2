package org.distarch.admin.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.distarch.control.MasterStatus;
import org.distarch.control.ProcessStatus;
import org.distarch.metrics.FleetMetrics;

/**
 * The queue groups' figures, as {@code GET /api/v1/queues} and the stream's {@code queues} messages give them:
 * the items counted from the events ({@link FleetMetrics.QueueFigures}) and each group's consumers from the
 * status (how many, how many running) and its feeder's state. Every queue group of the fleet is listed, also
 * one that has seen no item yet.
 */
final class QueueRows {

    private QueueRows() {}

    static ObjectNode of(List<FleetMetrics.QueueFigures> figures, MasterStatus status) {
        ObjectNode answer = Json.MAPPER.createObjectNode();
        ArrayNode queues = answer.putArray("queues");
        java.util.Map<String, FleetMetrics.QueueFigures> byGroup = new java.util.TreeMap<>();
        figures.forEach(f -> byGroup.put(f.group(), f));
        java.util.Set<String> groups = new java.util.TreeSet<>(byGroup.keySet());
        if (status != null) {
            status.processes().stream().filter(p -> "FEEDER".equals(p.role())).forEach(p -> groups.add(p.group()));
        }
        for (String group : groups) {
            FleetMetrics.QueueFigures f = byGroup.get(group);
            ObjectNode q = queues.addObject();
            q.put("group", group);
            q.put("received", f == null ? 0 : f.received());
            q.put("handled", f == null ? 0 : f.handled());
            q.put("failed", f == null ? 0 : f.failed());
            q.put("redelivered", f == null ? 0 : f.redelivered());
            q.put("inFlight", f == null ? 0 : f.inFlight());
            q.put("perSecond", f == null ? 0 : Math.round(f.perSecond() * 100) / 100.0);
            q.put("consumersConnected", f == null ? 0 : f.consumersConnected());
            if (status != null) {
                List<ProcessStatus> consumers = status.processes().stream()
                        .filter(p -> p.group().equals(group) && "CONSUMER".equals(p.role())).toList();
                q.put("consumers", consumers.size());
                q.put("consumersRunning", consumers.stream().filter(p -> p.state().equals("RUNNING")).count());
                q.put("feederState", status.processes().stream()
                        .filter(p -> p.group().equals(group) && "FEEDER".equals(p.role()))
                        .map(ProcessStatus::state).findFirst().orElse(null));
            }
        }
        return answer;
    }
}
