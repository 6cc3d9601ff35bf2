package org.distarch.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.distarch.control.MasterStatus;
import org.distarch.control.ProcessStatus;

/**
 * One frame of {@code distarch top}, as plain lines: a header with the fleet's totals, then one row per process
 * (the filtered ones). CPU is a percentage of one core since the previous frame (cumulative CPU time in the
 * first one). Pure: no terminal here, so frames are testable and {@code --once} prints the same thing.
 */
final class TopView {

    private final Map<Integer, Long> previousCpu = new HashMap<>();
    private long previousAt;

    /** The frame's lines, each at most {@code width} characters (0: no limit). */
    List<String> render(MasterStatus status, long now, String group, String text, int width, String keys) {
        List<ProcessStatus> shown = new ArrayList<>();
        Map<String, Integer> states = new TreeMap<>();
        long rss = 0;
        int restarts = 0;
        for (ProcessStatus p : status.processes()) {
            states.merge(p.state(), 1, Integer::sum);
            rss += p.rssBytes();
            restarts += p.restarts();
            if ((group == null || p.group().equals(group)) && (text == null || text.isEmpty() || matches(p, text))) {
                shown.add(p);
            }
        }
        List<String> lines = new ArrayList<>();
        lines.add("distarch top - master pid " + status.pid() + ", up " + StatusCommand.age(now, status.startedAtMillis())
                + (status.service() ? ", service" : "") + ", " + status.processes().size() + " processes: "
                + describe(states));
        lines.add("memory " + mib(rss) + ", restarts " + restarts
                + (status.suspendedGroups().isEmpty() ? "" : ", suspended: " + String.join(", ", status.suspendedGroups()))
                + "   filter: " + (group == null ? "all groups" : "group " + group)
                + (text == null || text.isEmpty() ? "" : ", text \"" + text + "\"") + (keys.isEmpty() ? "" : "   " + keys));
        lines.add("");
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ID", "GROUP", "HOST", "PROCESS", "STATE", "PID", "CPU", "MEM", "RESTARTS", "LAST OUTPUT"});
        double seconds = previousAt == 0 ? 0 : (now - previousAt) / 1000.0;
        for (ProcessStatus p : shown) {
            boolean running = p.pid() > 0;
            Long before = previousCpu.get(p.id());
            String cpu = !running ? "-" : seconds > 0 && before != null && p.cpuMillis() >= before
                    ? String.format(Locale.ROOT, "%.0f%%", (p.cpuMillis() - before) / 10.0 / seconds)
                    : String.format(Locale.ROOT, "%.1fs", p.cpuMillis() / 1000.0);
            rows.add(new String[] {Integer.toString(p.id()), p.group(), p.host(), p.process(), p.state(),
                running ? Long.toString(p.pid()) : "-", cpu, running ? mib(p.rssBytes()) : "-",
                Integer.toString(p.restarts()), p.lastOutput() == null ? "" : p.lastOutput()});
        }
        previousCpu.clear();
        status.processes().forEach(p -> previousCpu.put(p.id(), p.cpuMillis()));
        previousAt = now;
        lines.addAll(Table.lines(rows));
        if (shown.isEmpty()) {
            lines.add("(no process matches the filter)");
        }
        if (width > 0) {
            lines.replaceAll(l -> l.length() > width ? l.substring(0, width) : l);
        }
        return lines;
    }

    /** The groups in the status, in order: what {@code g} cycles through. */
    static List<String> groups(MasterStatus status) {
        Set<String> names = new LinkedHashSet<>();
        status.processes().forEach(p -> names.add(p.group()));
        return List.copyOf(names);
    }

    private static boolean matches(ProcessStatus p, String text) {
        String t = text.toLowerCase(Locale.ROOT);
        return (p.group() + " " + p.host() + " " + p.process() + " " + p.state() + " " + p.lastOutput())
                .toLowerCase(Locale.ROOT).contains(t);
    }

    private static String describe(Map<String, Integer> states) {
        if (states.isEmpty()) {
            return "none";
        }
        List<String> parts = new ArrayList<>();
        states.forEach((state, n) -> parts.add(n + " " + state.toLowerCase(Locale.ROOT)));
        return String.join(", ", parts);
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1fM", bytes / 1048576.0);
    }
}
