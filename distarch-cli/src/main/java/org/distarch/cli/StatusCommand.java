package org.distarch.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.distarch.control.socket.ControlCodec;
import org.distarch.control.socket.ControlResponse;
import org.distarch.control.socket.ControlRequest;
import org.distarch.control.GroupStatus;
import org.distarch.control.MasterStatus;
import org.distarch.control.RolloutStatus;
import org.distarch.control.ProcessStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Shows every process of a running master: id, group, host, process, state, pid, uptime, "
                + "restarts, last seen, CPU, memory and last output.",
            "A process an operator stopped shows as STOPPED (held: stopped by operator) until start; a group's "
                + "suspension, autostart: false, next scheduled restart and rolling restart show on a line of its "
                + "own."})
final class StatusCommand implements Callable<Integer> {

    @Mixin
    ControlSocketOption master;

    @Option(names = "--json", description = "Print the status as one JSON object.")
    boolean json;

    @Override
    public Integer call() {
        ControlResponse response = master.send(ControlRequest.of("status"));
        if (response == null) {
            return ExitCodes.NO_MASTER;
        }
        MasterStatus status = response.status();
        if (status == null) {
            System.err.println(response.result() == null ? "the master answered without a status"
                    : response.result().message());
            return ExitCodes.FAILED;
        }
        if (json) {
            System.out.println(ControlCodec.encode(status));
            return 0;
        }
        long now = System.currentTimeMillis();
        System.out.println("master pid " + status.pid() + ", up " + age(now, status.startedAtMillis()) + ", config "
                + status.config() + (status.service() ? ", service" : "")
                + (status.suspendedGroups().isEmpty() ? "" : ", suspended: " + String.join(", ", status.suspendedGroups())));
        for (GroupStatus g : status.groups()) {
            String about = about(g, now);
            if (!about.isEmpty()) {
                System.out.println("group " + g.name() + ": " + about);
            }
        }
        status.listeners().stream().filter(l -> l.dropped() > 0).forEach(l -> System.out.println("event listener "
                + l.listener() + " lags: " + l.dropped() + " events dropped (its queue holds " + l.capacity() + ")"));
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ID", "GROUP", "HOST", "PROCESS", "STATE", "PID", "UPTIME", "RESTARTS", "LAST SEEN",
            "CPU", "MEM", "LAST OUTPUT"});
        for (ProcessStatus p : status.processes()) {
            boolean running = p.pid() > 0;
            rows.add(new String[] {Integer.toString(p.id()), p.group(), p.host(), p.process(),
                p.held() == null ? p.state() : p.state() + " (held: " + p.held() + ")",
                running ? Long.toString(p.pid()) : "-", running ? age(now, p.startedAtMillis()) : "-",
                Integer.toString(p.restarts()), p.lastSeenMillis() > 0 ? age(now, p.lastSeenMillis()) + " ago" : "-",
                running ? String.format("%.1fs", p.cpuMillis() / 1000.0) : "-",
                running ? String.format("%.1fM", p.rssBytes() / 1048576.0) : "-", clip(p.lastOutput())});
        }
        Table.print(rows);
        return 0;
    }

    /** What is particular about a group: suspended, not autostarted, its next scheduled restart, its rollout. */
    static String about(GroupStatus g, long now) {
        List<String> parts = new ArrayList<>();
        if (g.suspended()) {
            parts.add(g.persisted() ? "suspended (persisted across master restarts)" : "suspended");
        }
        if (!g.autostart()) {
            parts.add("autostart: false");
        }
        if (g.schedule() != null) {
            parts.add("restart " + g.schedule() + (g.nextRestartMillis() > 0 ? ", next at "
                    + java.time.Instant.ofEpochMilli(g.nextRestartMillis()).atZone(java.time.ZoneId.systemDefault())
                            .toLocalDateTime().withNano(0) + " (in " + age(g.nextRestartMillis(), now) + ")" : ""));
        }
        RolloutStatus r = g.rollout();
        if (r != null && (r.state().equals("RUNNING") || now - r.endedAtMillis() < 3_600_000)) {
            parts.add("rolling restart (" + r.cause() + ") " + (r.state().equals("RUNNING") ? "in progress: "
                    : r.state().toLowerCase(java.util.Locale.ROOT) + " " + age(now, r.endedAtMillis()) + " ago: ")
                    + r.message());
        }
        return String.join("; ", parts);
    }

    private static String clip(String text) {
        return text == null ? "" : text.length() > 60 ? text.substring(0, 57) + "..." : text;
    }

    static String age(long now, long since) {
        if (since <= 0) {
            return "-";
        }
        Duration d = Duration.ofMillis(Math.max(0, now - since));
        if (d.toHours() > 0) {
            return d.toHours() + "h" + String.format("%02dm", d.toMinutesPart());
        }
        if (d.toMinutes() > 0) {
            return d.toMinutes() + "m" + String.format("%02ds", d.toSecondsPart());
        }
        return d.toSeconds() + "s";
    }
}
