package org.distarch.bench.soak;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The faults injected, in order, with when (milliseconds since the soak began). */
final class FaultLog {

    private record Entry(long millis, String kind, String what) {}

    private final List<Entry> entries = new ArrayList<>();

    synchronized void add(long millis, String kind, String what) {
        entries.add(new Entry(millis, kind, what));
        System.out.printf(Locale.ROOT, "fault %3d at %6.1f s: %-14s %s%n", entries.size(), millis / 1000.0, kind, what);
    }

    /** The faults (at most 5) in the 30 s up to {@code millis}, for a violation's report. */
    synchronized String lastBefore(long millis) {
        List<String> recent = new ArrayList<>();
        for (int i = entries.size() - 1; i >= 0 && recent.size() < 5; i--) {
            Entry e = entries.get(i);
            if (e.millis > millis || e.what.startsWith("skipped")) {
                continue;
            }
            if (e.millis < millis - 30_000) {
                break;
            }
            recent.add(0, String.format(Locale.ROOT, "#%d %s %s at %.1f s", i + 1, e.kind, e.what, e.millis / 1000.0));
        }
        return recent.isEmpty() ? "none" : String.join("; ", recent);
    }

    synchronized int size() {
        return entries.size();
    }

    /** One line: how many of each kind. */
    synchronized String summary() {
        Map<String, Integer> byKind = new TreeMap<>();
        int skipped = 0;
        for (Entry e : entries) {
            if (e.what.startsWith("skipped")) {
                skipped++;
            } else {
                byKind.merge(e.kind, 1, Integer::sum);
            }
        }
        return (entries.size() - skipped) + " " + byKind + (skipped > 0 ? ", " + skipped + " skipped (no target then)" : "");
    }
}
