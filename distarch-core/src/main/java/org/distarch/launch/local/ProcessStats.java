package org.distarch.launch.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.distarch.launch.Usage;

/**
 * CPU time and resident memory of a process and its descendants, from Linux's /proc. Zero where /proc
 * cannot tell (the process is gone, or this is not Linux).
 */
final class ProcessStats {

    private static final long TICKS_PER_SECOND = 100; // USER_HZ, 100 on every Linux distarch runs on
    /** How long one reading of the process table serves: a sample may miss a child younger than this. */
    private static final long TABLE_NANOS = 500_000_000L;

    /** The process table as children by parent, and when it was read. */
    private record Table(long readAt, Map<Long, List<Long>> children) {}

    private static volatile Table table;

    private ProcessStats() {}

    /**
     * The children of every process, read at most once per {@link #TABLE_NANOS}. {@code ProcessHandle.descendants()}
     * scans every process of the machine on each call, so a status of a thousand workers took a thousand scans
     * (seconds, on the supervision thread); now it takes one.
     */
    private static Map<Long, List<Long>> children() {
        Table t = table;
        long now = System.nanoTime();
        if (t == null || now - t.readAt() > TABLE_NANOS) {
            Map<Long, List<Long>> children = new HashMap<>();
            ProcessHandle.allProcesses().forEach(h -> h.parent().ifPresent(parent ->
                    children.computeIfAbsent(parent.pid(), k -> new ArrayList<>()).add(h.pid())));
            // Stamped when the scan is done: on a loaded machine a scan can take longer than TABLE_NANOS, and a
            // table stamped at its start would be stale at once, so that every worker of a status scanned again.
            t = new Table(System.nanoTime(), children);
            table = t;
        }
        return t.children();
    }

    static Usage of(long pid) {
        if (pid <= 0) {
            return Usage.UNKNOWN;
        }
        long cpu = 0;
        long rss = 0;
        Map<Long, List<Long>> children = children();
        ArrayDeque<Long> tree = new ArrayDeque<>(List.of(pid));
        java.util.Set<Long> seen = new java.util.HashSet<>();
        while (!tree.isEmpty()) {
            long p = tree.pop();
            if (seen.add(p)) {
                cpu += cpuMillis(p);
                rss += rssBytes(p);
                tree.addAll(children.getOrDefault(p, List.of()));
            }
        }
        return new Usage(cpu, rss);
    }

    static long cpuMillis(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 1000 / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    static long rssBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).trim().split("\\s+")[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone, or not Linux
        }
        return 0;
    }
}
