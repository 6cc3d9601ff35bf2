package org.distarch.spring.boot;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.distarch.control.ControlPlane;
import org.distarch.control.MasterStatus;
import org.distarch.control.ProcessStatus;

/**
 * The fleet as the actuator shows it, in plain values (strings, numbers, lists, maps) so that either
 * Spring Boot line's JSON writer renders it the same: the health (a status and its details) and the
 * {@code distarch} endpoint's status. Shared by the health indicators of both lines. The health is DOWN when a
 * process of a group that is not suspended was given up (suspending the group means someone took it in hand),
 * or when the master failed.
 */
final class FleetView {

    /** A health status by its actuator code ({@code UP}, {@code DOWN}, {@code UNKNOWN}, {@code OUT_OF_SERVICE}). */
    record HealthView(String status, Map<String, Object> details) {}

    private static final long ANSWER_SECONDS = 5;

    private final DistarchFleet fleet;

    FleetView(DistarchFleet fleet) {
        this.fleet = fleet;
    }

    HealthView health() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("state", fleet.state().name());
        switch (fleet.state()) {
            case NONE -> {
                details.put("master", "no distarch master runs in this application");
                return new HealthView("UNKNOWN", details);
            }
            case STOPPED -> {
                int code = fleet.exitCode().orElse(1);
                details.put("exitCode", code);
                fleet.stopReason().ifPresent(reason -> details.put("reason", reason));
                return new HealthView(code == 0 ? "OUT_OF_SERVICE" : "DOWN", details);
            }
            default -> { }
        }
        MasterStatus status;
        try {
            status = status(fleet.master().orElseThrow());
        } catch (IllegalStateException e) {
            details.put("error", e.getMessage());
            return new HealthView("DOWN", details);
        }
        Map<String, Integer> byState = new TreeMap<>();
        List<String> failed = new ArrayList<>();
        for (ProcessStatus p : status.processes()) {
            byState.merge(p.state(), 1, Integer::sum);
            if ("FAILED".equals(p.state()) && !status.suspendedGroups().contains(p.group())) {
                failed.add("[" + p.group() + "] [" + p.host() + "] [" + p.process() + "]");
            }
        }
        details.put("processes", status.processes().size());
        details.put("states", byState);
        if (!status.suspendedGroups().isEmpty()) {
            details.put("suspendedGroups", status.suspendedGroups());
        }
        if (!failed.isEmpty()) {
            details.put("givenUp", failed);
            return new HealthView("DOWN", details);
        }
        return new HealthView(fleet.state() == DistarchFleet.State.RUNNING ? "UP" : "UNKNOWN", details);
    }

    /** What {@code distarch status --json} shows, for the {@code distarch} endpoint. */
    Map<String, Object> status() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("state", fleet.state().name());
        fleet.exitCode().ifPresent(code -> out.put("exitCode", code));
        fleet.stopReason().ifPresent(reason -> out.put("reason", reason));
        if (fleet.master().isEmpty() || fleet.state() == DistarchFleet.State.STOPPED) {
            return out;
        }
        MasterStatus status;
        try {
            status = status(fleet.master().get());
        } catch (IllegalStateException e) {
            out.put("error", e.getMessage());
            return out;
        }
        out.put("pid", status.pid());
        out.put("startedAt", Instant.ofEpochMilli(status.startedAtMillis()).toString());
        out.put("config", status.config());
        out.put("service", status.service());
        out.put("suspendedGroups", status.suspendedGroups());
        List<Map<String, Object>> processes = new ArrayList<>();
        for (ProcessStatus p : status.processes()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", p.id());
            row.put("group", p.group());
            row.put("host", p.host());
            row.put("process", p.process());
            row.put("state", p.state());
            row.put("pid", p.pid());
            row.put("startedAt", p.startedAtMillis() > 0 ? Instant.ofEpochMilli(p.startedAtMillis()).toString() : null);
            row.put("restarts", p.restarts());
            row.put("lastSeen", p.lastSeenMillis() > 0 ? Instant.ofEpochMilli(p.lastSeenMillis()).toString() : null);
            row.put("lastOutput", p.lastOutput());
            row.put("cpuMillis", p.cpuMillis());
            row.put("rssBytes", p.rssBytes());
            processes.add(row);
        }
        out.put("processes", processes);
        return out;
    }

    private static MasterStatus status(ControlPlane master) {
        try {
            return master.status().get(ANSWER_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the master did not answer within " + ANSWER_SECONDS + " s");
        } catch (ExecutionException e) {
            throw new IllegalStateException("the master could not answer: " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking the master");
        }
    }
}
