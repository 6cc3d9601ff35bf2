package org.distarch.bench.soak;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the soak checks all along, sample by sample: never two live copies of one instance, never more processes
 * of a group (and queue role) on a host than configured, the master's threads and open files within a bound.
 * Keeps the figures for the report and every violation, with when it began and how long it lasted.
 */
final class Invariants {

    /** How far above its figure once the fleet first stood complete the master may go: x1.5 plus this. */
    private static final int THREAD_SLACK = 24;
    private static final int FD_SLACK = 64;

    private final Map<String, Integer> limits;
    private final FaultLog faults;
    private final Map<Integer, Episode> open = new HashMap<>();
    private final List<Episode> twice = new ArrayList<>();
    private final Map<String, Integer> perHostMax = new TreeMap<>();
    private final List<String> overLimit = new ArrayList<>();
    private final List<String> masterOver = new ArrayList<>();
    private int maxCopies;
    private long samples;
    private long firstSample = -1;
    private long lastSample;
    private long longestGap;
    private int warmThreads = -1;
    private int warmFds = -1;
    private int maxThreads;
    private int maxFds;
    private int relaysMax;

    /** A time with more than one copy of an instance. */
    private static final class Episode {
        final int id;
        final String group;
        final long from;
        long to;
        int copies;
        final List<String> where = new ArrayList<>();

        Episode(int id, String group, long from) {
            this.id = id;
            this.group = group;
            this.from = from;
        }
    }

    /** {@code limits}: {@link #key} of a group, role and host, to the processes configured there. */
    Invariants(Map<String, Integer> limits, FaultLog faults) {
        this.limits = Map.copyOf(limits);
        this.faults = faults;
    }

    static String key(String group, String role, String host) {
        return group + (role == null ? "" : " " + role) + " @" + host;
    }

    /** Checks one census; {@code millis} since the soak began. True if the fleet is as configured. */
    boolean sample(List<Census.Proc> procs, long millis) {
        samples++;
        if (firstSample < 0) {
            firstSample = millis;
        } else {
            longestGap = Math.max(longestGap, millis - lastSample);
        }
        lastSample = millis;
        Map<Integer, List<Census.Proc>> instances = Census.instances(procs);
        Map<String, Integer> counts = new HashMap<>();
        for (Map.Entry<Integer, List<Census.Proc>> instance : instances.entrySet()) {
            List<Census.Proc> copies = instance.getValue();
            maxCopies = Math.max(maxCopies, copies.size());
            for (Census.Proc p : copies) {
                counts.merge(key(p.group(), p.role(), p.host()), 1, Integer::sum);
            }
            Episode e = open.get(instance.getKey());
            if (copies.size() > 1) {
                if (e == null) {
                    e = new Episode(instance.getKey(), copies.get(0).group(), millis);
                    open.put(instance.getKey(), e);
                }
                if (copies.size() > e.copies) {
                    e.copies = copies.size();
                    e.where.clear();
                    for (Census.Proc p : copies) {
                        e.where.add("pid " + p.pid() + " on " + p.host() + (p.stopped() ? " (stopped)" : "")
                                + (p.orphan() ? " (orphan: its parent is gone)" : ""));
                    }
                }
                e.to = millis;
            }
        }
        for (var it = open.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            List<Census.Proc> copies = instances.get(e.getKey());
            if (copies == null || copies.size() <= 1) {
                e.getValue().to = millis;
                twice.add(e.getValue());
                it.remove();
            }
        }
        long relays = procs.stream().filter(Census.Proc::relay).count();
        relaysMax = (int) Math.max(relaysMax, relays);
        boolean complete = true;
        for (Map.Entry<String, Integer> limit : limits.entrySet()) {
            int n = counts.getOrDefault(limit.getKey(), 0);
            perHostMax.merge(limit.getKey(), n, Math::max);
            complete &= n == limit.getValue();
        }
        for (Map.Entry<String, Integer> count : counts.entrySet()) {
            Integer limit = limits.get(count.getKey());
            if (limit == null || count.getValue() > limit) {
                overLimit.add(String.format(Locale.ROOT, "%.1f s: %d processes of %s (configured %s)", millis / 1000.0,
                        count.getValue(), count.getKey(), limit == null ? "none" : limit));
                perHostMax.merge(count.getKey(), count.getValue(), Math::max);
            }
        }
        return complete && procs.stream().noneMatch(Census.Proc::stopped);
    }

    /** Threads and open files of the master now; {@code warm}: the fleet stood complete (the bound's base). */
    void sampleMaster(long pid, boolean warm, long millis) {
        int threads = threads(pid);
        int fds = openFiles(pid);
        if (threads < 0 || fds < 0) {
            return; // the master is not there (being restarted)
        }
        if (warm && warmThreads < 0) {
            warmThreads = threads;
            warmFds = fds;
        }
        maxThreads = Math.max(maxThreads, threads);
        maxFds = Math.max(maxFds, fds);
        if (warmThreads >= 0 && (threads > threadBound() || fds > fdBound())) {
            masterOver.add(String.format(Locale.ROOT, "%.1f s: master pid %d has %d threads (bound %d), %d open files "
                    + "(bound %d)", millis / 1000.0, pid, threads, threadBound(), fds, fdBound()));
        }
    }

    private int threadBound() {
        return warmThreads * 3 / 2 + THREAD_SLACK;
    }

    private int fdBound() {
        return warmFds * 3 / 2 + FD_SLACK;
    }

    /** Closes episodes still open (the run ends). */
    void finish(long millis) {
        for (Episode e : open.values()) {
            e.to = millis;
            twice.add(e);
        }
        open.clear();
    }

    /** Prints each invariant with its figure; returns the number of violations. */
    int report() {
        int violations = 0;
        System.out.printf(Locale.ROOT, "invariant: at most one live copy of each instance: %s (most copies seen: %d; "
                + "%d samples, one every %d ms on average, longest gap %d ms)%n", twice.isEmpty() ? "held" : "VIOLATED "
                + twice.size() + " time(s)", maxCopies, samples, samples > 1 ? (lastSample - firstSample) / (samples - 1) : 0,
                longestGap);
        for (Episode e : twice) {
            violations++;
            System.out.printf(Locale.ROOT, "  VIOLATION: instance %d (%s) had %d copies for %.1f s, from %.1f s (%s); "
                    + "faults in the 30 s before: %s%n", e.id, e.group, e.copies, (e.to - e.from) / 1000.0, e.from / 1000.0,
                    String.join(", ", e.where), faults.lastBefore(e.from));
        }
        System.out.printf("invariant: never more processes on a host than configured: %s%n",
                overLimit.isEmpty() ? "held" : "VIOLATED in " + overLimit.size() + " sample(s)");
        for (Map.Entry<String, Integer> m : perHostMax.entrySet()) {
            System.out.printf("  %-34s most %d, configured %s%n", m.getKey(), m.getValue(),
                    limits.containsKey(m.getKey()) ? limits.get(m.getKey()) : "none");
        }
        overLimit.stream().limit(10).forEach(v -> System.out.println("  VIOLATION: " + v));
        violations += overLimit.size() > 0 ? 1 : 0;
        System.out.printf("  relays seen at once (all hosts): at most %d%n", relaysMax);
        System.out.printf("invariant: master threads and open files bounded: %s (threads %d when the fleet first stood, "
                + "most %d, bound %d; open files %d, most %d, bound %d)%n",
                warmThreads < 0 ? "NOT MEASURED" : masterOver.isEmpty() ? "held" : "VIOLATED in " + masterOver.size()
                        + " sample(s)", warmThreads, maxThreads, threadBound(), warmFds, maxFds, fdBound());
        masterOver.stream().limit(10).forEach(v -> System.out.println("  VIOLATION: " + v));
        violations += masterOver.isEmpty() && warmThreads >= 0 ? 0 : 1;
        return violations;
    }

    private static int threads(long pid) {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (l.startsWith("Threads:")) {
                    return Integer.parseInt(l.substring(8).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    private static int openFiles(long pid) {
        int n = 0;
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/" + pid + "/fd"))) {
            for (Path ignored : fds) {
                n++;
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return n;
    }
}
