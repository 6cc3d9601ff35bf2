package org.distarch.bench.soak;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Picks and injects faults from a seeded {@link Random}, so a seed repeats the same choices: which kind, which
 * target (by position in the census, ordered by pid), how long a stop or a cut lasts, the pause to the next
 * fault. The processes and their timing differ from run to run, so a repeat is the same storm, not the same
 * interleaving. Stops (SIGSTOP) and cuts are undone later (SIGCONT, restore), and all at the end.
 */
final class Faults {

    private enum Kind {
        KILL_WORKER("kill-worker", 4), STOP_WORKER("stop-worker", 2), KILL_CONSUMER("kill-consumer", 2),
        KILL_FEEDER("kill-feeder", 1), KILL_RELAY("kill-relay", 2), KILL_MASTER("kill-master", 2),
        CUT_LINK("cut-link", 2);

        final String label;
        final int weight;

        Kind(String label, int weight) {
            this.label = label;
            this.weight = weight;
        }
    }

    private record Undo(long at, String what, Action action) {}

    @FunctionalInterface
    private interface Action {
        void run() throws IOException, InterruptedException;
    }

    private final Random random;
    private final FaultLog log;
    private final MasterRun master;
    private final SoakHosts hosts;
    private final List<Undo> undos = new ArrayList<>();
    private final Set<String> cut = new HashSet<>();
    private final Set<Long> killedFeeders = new HashSet<>();

    Faults(long seed, FaultLog log, MasterRun master, SoakHosts hosts) {
        this.random = new Random(seed);
        this.log = log;
        this.master = master;
        this.hosts = hosts;
    }

    /** Milliseconds to the next fault: 1 to 4 s. */
    long pause() {
        return 1000 + random.nextInt(3000);
    }

    /**
     * Injects one fault into what {@code procs} shows. Every draw is made whether or not the fault can be
     * injected now, so the same seed makes the same decisions in the same order.
     */
    void inject(List<Census.Proc> procs, long now) throws IOException, InterruptedException {
        Kind kind = pick();
        int pick = random.nextInt(1 << 30);
        long seconds = 2 + random.nextInt(9);
        List<Census.Proc> workers = procs.stream().filter(p -> p.id() > 0 && p.role() == null && !p.relay()
                && !"sleep".equals(p.comm()) && !p.stopped()).sorted((a, b) -> Long.compare(a.pid(), b.pid())).toList();
        List<Census.Proc> candidates = switch (kind) {
            case KILL_WORKER, STOP_WORKER -> workers;
            case KILL_CONSUMER -> role(procs, "consumer");
            case KILL_FEEDER -> role(procs, "feeder");
            case KILL_RELAY -> procs.stream().filter(Census.Proc::relay).filter(p -> !cut.contains(p.host()))
                    .sorted((a, b) -> Long.compare(a.pid(), b.pid())).toList();
            case KILL_MASTER, CUT_LINK -> List.of();
        };
        switch (kind) {
            case KILL_MASTER -> log.add(now, kind.label, "pid " + master.killAndRestart() + ", started again at once: pid "
                    + master.pid());
            case CUT_LINK -> {
                List<String> up = hosts.names().stream().filter(h -> !cut.contains(h)).toList();
                if (up.size() < 2) { // keep one host reachable: a fleet with every link down checks little
                    log.add(now, kind.label, "skipped: only one host is not cut");
                    return;
                }
                String host = up.get(pick % up.size());
                hosts.cut(host);
                cut.add(host);
                log.add(now, kind.label, host + " for " + seconds + " s");
                undos.add(new Undo(now + seconds * 1000, "restore " + host, () -> {
                    hosts.restore(host);
                    cut.remove(host);
                }));
            }
            default -> {
                if (candidates.isEmpty()) {
                    log.add(now, kind.label, "skipped: no target now");
                    return;
                }
                Census.Proc target = candidates.get(pick % candidates.size());
                String what = describe(target);
                if (kind == Kind.STOP_WORKER) {
                    signal("STOP", target.pid());
                    log.add(now, kind.label, what + " for " + seconds + " s");
                    undos.add(new Undo(now + seconds * 1000, "continue " + what, () -> signal("CONT", target.pid())));
                } else {
                    signal("KILL", target.pid());
                    if (kind == Kind.KILL_FEEDER) {
                        killedFeeders.add(target.pid());
                    }
                    log.add(now, kind.label, what);
                }
            }
        }
    }

    /** Undoes the stops and cuts that are due ({@code all}: every one, the soak is ending). */
    void undo(long now, boolean all) throws IOException, InterruptedException {
        for (Iterator<Undo> it = undos.iterator(); it.hasNext(); ) {
            Undo u = it.next();
            if (all || u.at <= now) {
                it.remove();
                u.action.run();
            }
        }
    }

    /** The feeders SIGKILLed, by pid: their lives may end with items in flight. */
    Set<Long> killedFeeders() {
        return Set.copyOf(killedFeeders);
    }

    private Kind pick() {
        int total = 0;
        for (Kind k : Kind.values()) {
            total += k.weight;
        }
        int r = random.nextInt(total);
        for (Kind k : Kind.values()) {
            r -= k.weight;
            if (r < 0) {
                return k;
            }
        }
        throw new AssertionError();
    }

    private static List<Census.Proc> role(List<Census.Proc> procs, String role) {
        return procs.stream().filter(p -> role.equals(p.role()) && !"sleep".equals(p.comm()))
                .sorted((a, b) -> Long.compare(a.pid(), b.pid())).toList();
    }

    private static String describe(Census.Proc p) {
        return p.relay() ? "relay pid " + p.pid() + " on " + p.host()
                : p.group() + "/" + p.id() + (p.role() == null ? "" : " " + p.role()) + " pid " + p.pid() + " on " + p.host();
    }

    private static void signal(String signal, long pid) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        kill.waitFor(10, TimeUnit.SECONDS); // a process gone meanwhile: kill fails, nothing to do
    }
}
