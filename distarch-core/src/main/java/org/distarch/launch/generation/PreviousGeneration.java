package org.distarch.launch.generation;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.distarch.launch.local.Kill;
import org.distarch.launch.local.WorkerCgroups;
import org.distarch.worker.protocol.WorkerEnv;

/**
 * What a master (or relay) does first, once it holds its pid file (or lock) and before it starts anything:
 * make sure no worker of the one before it still runs, so that an instance never runs twice. The previous
 * one's {@link WorkerJournal} lists its workers (and its cgroup tree, where there was one, and the mark that also
 * finds those it started but had no time to list: {@link GenerationMark}); those still alive
 * (same pid and start time) get SIGTERM (again: the parent-death signal sent one) and their process groups
 * SIGCONT (a stopped process cannot act on the TERM), are waited for up to their group's stop grace, then their
 * process groups and cgroups are killed. Each step is in the log.
 *
 * <p>Polls /proc every 100 ms while it waits: this happens once, at start-up, and nothing else runs meanwhile.
 */
public final class PreviousGeneration {

    private static final long POLL_MILLIS = 100;
    /** After SIGKILL, how long to wait for the processes to be gone (one in uninterruptible sleep may take a while). */
    private static final long AFTER_KILL_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** Grace for processes found only by their mark or in the cgroup tree, when the journal tells none. */
    private static final long UNLISTED_GRACE_MILLIS = 10_000;
    private static final int PIDS_SHOWN = 20;

    /** A process of the previous generation, and when it is killed. */
    private record Target(long pid, long startTicks, long group, long graceMillis, boolean listed) {

        Target(long pid, long startTicks, long group, long graceMillis) {
            this(pid, startTicks, group, graceMillis, true);
        }
    }

    private final String who;
    private final Consumer<String> info;
    private final Consumer<String> warn;

    /**
     * @param who  whose workers they are, for the log: "the previous master", "the previous relay"
     */
    public PreviousGeneration(String who, Consumer<String> info, Consumer<String> warn) {
        this.who = who;
        this.info = info;
        this.warn = warn;
    }

    /** Reads the journal at {@code file} and waits for (or kills) every worker in it that still runs. */
    public void settle(Path file) throws InterruptedException {
        WorkerJournal.Contents previous;
        try {
            previous = WorkerJournal.read(file);
        } catch (IOException e) {
            warn.accept("Cannot read the workers journal of " + who + ": " + e.getMessage()
                    + "; not waiting for its workers");
            return;
        }
        settle(previous);
    }

    /** Waits for (or kills) every worker of {@code previous} that still runs; returns once they are gone. */
    public void settle(WorkerJournal.Contents previous) throws InterruptedException {
        List<Target> targets = alive(previous);
        if (targets.isEmpty()) {
            removeTree(previous.cgroupRoot());
            return;
        }
        long maxGrace = targets.stream().mapToLong(Target::graceMillis).max().orElse(0);
        List<Target> unlisted = targets.stream().filter(t -> !t.listed()).toList();
        if (!unlisted.isEmpty()) {
            warn.accept(count(unlisted.size()) + " of " + who + " not in its journal (" + pids(unlisted)
                    + ") carry its " + WorkerEnv.GENERATION + " mark: started as it died, before it could list them");
        }
        info.accept("Waiting up to " + seconds(maxGrace) + " s for " + count(targets.size()) + " of " + who + " ("
                + pids(targets) + ") to end");
        // TERM to the worker alone, as its parent-death signal did (it may have had none: no setpriv); CONT to its
        // whole group, so that a stopped process hears the TERM and a stopped child is not left behind.
        signal("TERM", targets, false);
        signal("CONT", targets, true);
        long start = System.nanoTime();
        java.util.Set<Target> killed = new java.util.LinkedHashSet<>();
        List<Target> waiting = new ArrayList<>(targets);
        boolean treeKilled = false;
        while (true) {
            waiting.removeIf(t -> !running(t));
            if (waiting.isEmpty() && (previous.cgroupRoot() == null
                    || WorkerCgroups.members(previous.cgroupRoot()).isEmpty())) {
                break;
            }
            long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            List<Target> due = waiting.stream().filter(t -> elapsedMillis >= t.graceMillis() && !killed.contains(t))
                    .toList();
            if (!due.isEmpty()) {
                signal("KILL", due, true);
                killed.addAll(due);
            }
            if (elapsedMillis >= maxGrace && previous.cgroupRoot() != null && !treeKilled) {
                WorkerCgroups.killTree(previous.cgroupRoot());
                treeKilled = true;
            }
            if (System.nanoTime() - start > TimeUnit.MILLISECONDS.toNanos(maxGrace) + AFTER_KILL_NANOS) {
                warn.accept(count(waiting.size()) + " of " + who + " (" + pids(waiting) + ") still there "
                        + seconds(AFTER_KILL_NANOS / 1_000_000) + " s after SIGKILL (uninterruptible sleep?); "
                        + "starting anyway");
                return;
            }
            Thread.sleep(POLL_MILLIS);
        }
        if (killed.isEmpty()) {
            info.accept((targets.size() == 1 ? "The process of " + who + " has ended"
                    : "The " + targets.size() + " processes of " + who + " have ended") + " (" + pids(targets) + ")");
        } else {
            int rest = targets.size() - killed.size();
            info.accept("Killed " + count(killed.size()) + " of " + who + " that outlived the grace ("
                    + pids(List.copyOf(killed)) + ")"
                    + (rest > 0 ? "; " + count(rest) + " ended by " + (rest == 1 ? "itself" : "themselves") : ""));
        }
        removeTree(previous.cgroupRoot());
    }

    /** The journal's workers still running (pid and start time match), the members of their groups, of the tree. */
    private static List<Target> alive(WorkerJournal.Contents previous) {
        long self = ProcessHandle.current().pid();
        long ownGroup = ProcStat.of(self).map(ProcStat::group).orElse(-1L);
        Map<Long, Target> targets = new LinkedHashMap<>();
        Map<Long, WorkerJournal.Entry> leaderless = new HashMap<>();
        for (WorkerJournal.Entry e : previous.entries()) {
            if (e.pid() <= 1 || e.pid() == self) {
                continue;
            }
            ProcStat s = ProcStat.of(e.pid()).orElse(null);
            if (s != null && s.startTicks() == e.startTicks()) {
                if (s.running()) {
                    // The group only if it still leads it: never the group of another process, nor ours.
                    long group = e.group() == e.pid() && s.group() == e.pid() && s.group() != ownGroup ? e.pid() : 0;
                    targets.put(e.pid(), new Target(e.pid(), e.startTicks(), group, e.graceMillis()));
                }
            } else if (s == null && e.group() > 1 && e.group() != ownGroup) {
                // Gone, not reused: a later process with that pid would own any group of that id.
                leaderless.put(e.group(), e);
            }
        }
        // One scan of /proc serves both searches below (only a previous generation that was killed gets here).
        List<ProcStat> processes = leaderless.isEmpty() && previous.mark() == null ? List.of() : ProcStat.all();
        if (!leaderless.isEmpty()) {
            // A worker that ended after its master died leaves its group's other processes behind. Linux does not
            // give a pid out again while a group of that id lives, so a group member is the worker's.
            for (ProcStat s : processes) {
                WorkerJournal.Entry e = leaderless.get(s.group());
                if (e != null && s.running() && s.session() == e.group() && s.startTicks() >= e.startTicks()
                        && s.pid() != self) {
                    targets.putIfAbsent(s.pid(), new Target(s.pid(), s.startTicks(), 0, e.graceMillis()));
                }
            }
        }
        long unlistedGrace = previous.graceMillis() > 0 ? previous.graceMillis() : UNLISTED_GRACE_MILLIS;
        if (previous.mark() != null) {
            // Started as the previous one died, before it could list them: their mark tells (see GenerationMark).
            // Children inherit the mark; one in the session of a worker that is signalled already (listed, or found
            // here leading its session) is that worker's to end, and its group's signals reach it.
            List<ProcStat> marked = processes.stream().filter(s -> s.pid() != self && s.running()
                    && s.startTicks() >= previous.mark().startTicks() && !targets.containsKey(s.pid())
                    && previous.mark().marks(s.pid())).toList();
            java.util.Set<Long> leaders = new java.util.HashSet<>();
            targets.values().stream().filter(t -> t.group() > 1).forEach(t -> leaders.add(t.group()));
            marked.stream().filter(s -> s.session() == s.pid()).forEach(s -> leaders.add(s.pid()));
            for (ProcStat s : marked) {
                boolean leads = s.session() == s.pid();
                if (leads || !leaders.contains(s.session())) {
                    long group = leads && s.group() == s.pid() && s.group() != ownGroup ? s.pid() : 0;
                    targets.put(s.pid(), new Target(s.pid(), s.startTicks(), group, unlistedGrace, false));
                }
            }
        }
        if (previous.cgroupRoot() != null) {
            for (long pid : WorkerCgroups.members(previous.cgroupRoot())) {
                if (pid != self && !targets.containsKey(pid)) {
                    ProcStat.of(pid).filter(ProcStat::running).ifPresent(s ->
                            targets.put(pid, new Target(pid, s.startTicks(), 0, unlistedGrace)));
                }
            }
        }
        return List.copyOf(targets.values());
    }

    private static boolean running(Target t) {
        return ProcStat.of(t.pid()).filter(s -> s.startTicks() == t.startTicks() && s.running()).isPresent();
    }

    /** With {@code groups}, the process group where the worker leads one, else the pid: a kill(2) each. */
    private static void signal(String signal, List<Target> targets, boolean groups) {
        for (Target t : targets) {
            if (!running(t)) {
                continue;
            }
            if (!(groups && t.group() > 1 && Kill.group(signal, t.group()))) {
                Kill.process(signal, t.pid());
            }
        }
    }

    private static void removeTree(Path root) throws InterruptedException {
        if (root == null) {
            return;
        }
        for (int i = 0; i < 50 && !WorkerCgroups.removeTree(root); i++) {
            Thread.sleep(20);
        }
    }

    private static String count(int n) {
        return n == 1 ? "1 process" : n + " processes";
    }

    private static String seconds(long millis) {
        return Long.toString((millis + 999) / 1000);
    }

    private static String pids(List<Target> targets) {
        String shown = targets.stream().limit(PIDS_SHOWN).map(t -> Long.toString(t.pid()))
                .collect(Collectors.joining(", "));
        return (targets.size() == 1 ? "pid " : "pids ") + shown
                + (targets.size() > PIDS_SHOWN ? " and " + (targets.size() - PIDS_SHOWN) + " more" : "");
    }
}
