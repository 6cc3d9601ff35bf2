package org.distarch.admin.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.distarch.control.MasterStatus;
import org.distarch.control.ProcessStatus;

/** The master, its groups and its hosts, summed up from one {@link MasterStatus}. */
final class FleetSummaries {

    private FleetSummaries() {}

    static ObjectNode master(MasterStatus status, long now) {
        ObjectNode master = Json.MAPPER.createObjectNode();
        master.put("pid", status.pid());
        master.put("startedAtMillis", status.startedAtMillis());
        master.put("uptimeMillis", status.startedAtMillis() > 0 ? Math.max(0, now - status.startedAtMillis()) : 0);
        master.put("config", status.config());
        master.put("service", status.service());
        master.set("suspendedGroups", Json.MAPPER.valueToTree(status.suspendedGroups()));
        master.put("processes", status.processes().size());
        master.set("states", counts(status.processes()));
        master.set("listeners", Json.MAPPER.valueToTree(status.listeners()));
        master.set("relays", Json.MAPPER.valueToTree(status.relays()));
        return master;
    }

    /**
     * One entry per group, in fleet order: its counts per state and its health: {@code suspended},
     * {@code failed} (a process given up), {@code degraded} (one restarting), {@code healthy}
     * (every process running), else {@code stopped}.
     */
    static ArrayNode groups(MasterStatus status) {
        ArrayNode groups = Json.MAPPER.createArrayNode();
        grouped(status.processes(), ProcessStatus::group).forEach((name, processes) -> {
            ObjectNode group = groups.addObject();
            boolean suspended = status.suspendedGroups().contains(name);
            group.put("name", name);
            group.put("processes", processes.size());
            group.set("states", counts(processes));
            group.put("suspended", suspended);
            group.put("health", suspended ? "suspended" : health(processes));
            group.set("hosts", Json.MAPPER.valueToTree(grouped(processes, ProcessStatus::host).keySet()));
        });
        return groups;
    }

    static ArrayNode hosts(MasterStatus status) {
        ArrayNode hosts = Json.MAPPER.createArrayNode();
        grouped(status.processes(), ProcessStatus::host).forEach((name, processes) -> {
            ObjectNode host = hosts.addObject();
            host.put("name", name);
            host.put("processes", processes.size());
            host.set("states", counts(processes));
            host.put("cpuMillis", processes.stream().mapToLong(ProcessStatus::cpuMillis).sum());
            host.put("rssBytes", processes.stream().mapToLong(ProcessStatus::rssBytes).sum());
            host.set("groups", Json.MAPPER.valueToTree(grouped(processes, ProcessStatus::group).keySet()));
        });
        return hosts;
    }

    private static String health(List<ProcessStatus> processes) {
        if (processes.stream().anyMatch(p -> p.state().equals("FAILED"))) {
            return "failed";
        }
        if (processes.stream().anyMatch(p -> p.state().equals("BACKOFF"))) {
            return "degraded";
        }
        if (processes.stream().allMatch(p -> p.state().equals("RUNNING"))) {
            return "healthy";
        }
        return processes.stream().anyMatch(p -> p.pid() > 0) ? "degraded" : "stopped";
    }

    private static ObjectNode counts(List<ProcessStatus> processes) {
        ObjectNode counts = Json.MAPPER.createObjectNode();
        Map<String, Integer> byState = new LinkedHashMap<>();
        processes.forEach(p -> byState.merge(p.state(), 1, Integer::sum));
        byState.forEach(counts::put);
        return counts;
    }

    private static Map<String, List<ProcessStatus>> grouped(List<ProcessStatus> processes,
            Function<ProcessStatus, String> key) {
        Map<String, List<ProcessStatus>> groups = new LinkedHashMap<>();
        processes.forEach(p -> groups.computeIfAbsent(key.apply(p), k -> new java.util.ArrayList<>()).add(p));
        return groups;
    }
}
