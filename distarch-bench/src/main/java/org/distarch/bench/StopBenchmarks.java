package org.distarch.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Stopping a large local fleet: a real {@code run-master} with N local workers (default 1,000) is sent SIGTERM
 * once every worker runs; the figure is the time from that signal until the last worker process is gone, found
 * by polling /proc for the pids of every descendant of the master, collected just before the signal. The
 * master's own exit, and the supervision thread's longest task and worst timer lateness while stopping (the
 * master's {@code Supervision while stopping} line, {@code -Ddistarch.stats=true}), come with it; so do the
 * time from start to all running, the master's RSS and thread count at N workers and (for {@code sleep}) its CPU
 * over an idle stretch. supervisord runs the same {@code sleep} fleet in the same run ({@link SupervisordPeer}).
 *
 * <p>The workers print nothing, so the silence watchdog is off ({@code timeout: none}, as supervisord has none): on
 * a loaded machine the start alone can take longer than its default 30 s, and the restarts would be measured.
 *
 * <p>Two workers, both of which end at once on SIGTERM: {@code sleep 600}, killed by the kernel's default
 * action with no code of its own, so the figure is the master's signalling alone; and a {@code sh} loop that
 * traps TERM and exits 0, with a {@code sleep} child in its group, so the tree has two processes per worker and
 * the shell runs a handler, as a real worker does.
 */
final class StopBenchmarks {

    private static final String SH_WORKER = "trap 'exit 0' TERM; while :; do sleep 10 & wait $!; done";

    private StopBenchmarks() {}

    static void run(Path dir, int workers, int idleSeconds) throws Exception {
        stop(dir, workers, "sleep 600", "sleep", "600", idleSeconds);
        SupervisordPeer.run(dir, workers, idleSeconds);
        stop(dir, workers, "sh trap loop", "/bin/sh", "-c \"" + SH_WORKER + "\"", 0);
    }

    static void stop(Path dir, int workers, String label, String bin, String command, int idleSeconds)
            throws Exception {
        Path config = dir.resolve("stop-" + bin.replace('/', '_') + ".yaml");
        Files.writeString(config, """
                distributed_architecture:
                  groups:
                    Stop:
                      command: '%s'
                      bin_path: %s
                      timeout: none
                      local: {instances_count: %d}
                """.formatted(command.replace("'", "''"), bin, workers));
        String name = "stop: " + workers + " x " + label + ": ";
        long launched = System.nanoTime();
        Process master = Benchmarks.master(config, List.of()).start();
        MasterOutput out = new MasterOutput(master, workers);
        out.start();
        if (!out.allStarted.await(120, TimeUnit.SECONDS)) {
            System.out.println(name + "FAILED: only " + out.started + " started in 120 s; last line: " + out.lastLine);
            master.destroyForcibly();
            master.waitFor();
            return;
        }
        double startup = (out.allStartedAt - launched) / 1e9;
        Thread.sleep(2000); // the sh workers' sleep children, and the master settling
        long pid = master.pid();
        long rssKb = Benchmarks.rssKb(pid);
        int threads = Benchmarks.threads(pid);
        Set<Long> pids = new HashSet<>();
        master.toHandle().descendants().forEach(p -> pids.add(p.pid()));
        int processes = pids.size();
        double idleCpu = SupervisordPeer.idleCpuSeconds(pid, idleSeconds);

        String load = Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        SchedWatch sched = SchedWatch.of(pid);
        long t0 = System.nanoTime();
        master.toHandle().destroy(); // SIGTERM; Process.destroy() would also close our end of its pipes
        if (sched != null) {
            sched.start();
        }
        long lastExited = waitGone(pids, t0);
        long masterExit = master.onExit().thenApply(p -> System.nanoTime()).get(120, TimeUnit.SECONDS);
        out.join(10_000);
        if (sched != null) {
            sched.join(10_000);
        }

        System.out.printf(Locale.ROOT, "%sall %d running %.2f s after run-master started; master RSS %,d KiB, "
                + "%d threads; %d worker processes; load average %s (other work on the machine skews all this)%n",
                name, workers, startup, rssKb, threads, processes, load);
        if (idleSeconds > 0) {
            System.out.printf(Locale.ROOT, "%smaster CPU %.2f s in %d idle s (%.2f s a minute)%n", name, idleCpu,
                    idleSeconds, idleCpu * 60 / idleSeconds);
        }
        double gone = (lastExited - t0) / 1e9;
        System.out.printf(Locale.ROOT, "%sSIGTERM to last worker process gone %.2f s (goal <= 1 s: %s); master exited "
                + "%.2f s after SIGTERM%n", name, gone, gone <= 1 ? "met" : "NOT met", (masterExit - t0) / 1e9);
        if (sched != null) {
            System.out.printf(Locale.ROOT, "%ssupervision thread from SIGTERM to its end: %.0f ms on a core, %.0f ms "
                    + "runnable but waiting for one (/proc schedstat)%n", name, sched.cpuMillis(), sched.waitMillis());
        }
        System.out.println(name + (out.stats == null ? "no Supervision line from the master (last line: "
                + out.lastLine + ")" : out.stats));
    }

    /**
     * Waits until no pid of {@code pids} is a live process (gone, or a zombie: dead, not yet reaped); returns the
     * {@code nanoTime} at which the last one was seen to go. One pid at a time, checked every 2 ms: when the last
     * of them is seen gone, all before it were, so the answer is late by at most a few ms, and the harness
     * costs the two cores one file read per check instead of a scan of every pid.
     */
    static long waitGone(Set<Long> pids, long t0) throws InterruptedException {
        long deadline = t0 + TimeUnit.SECONDS.toNanos(120);
        int left = pids.size();
        for (long p : pids) {
            while (alive(p) && System.nanoTime() < deadline) {
                Thread.sleep(2);
            }
            if (alive(p)) {
                break;
            }
            left--;
        }
        if (left > 0) {
            System.out.println("  WARNING: " + left + " worker processes still alive after 120 s");
        }
        return System.nanoTime();
    }

    private static boolean alive(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The supervision thread's {@code /proc/PID/task/TID/schedstat} (time on a core, time runnable on the run
     * queue), sampled every 2 ms until the thread is gone: its last reading less the first.
     */
    private static final class SchedWatch extends Thread {
        private final Path file;
        private final long[] first;
        private volatile long[] last;

        private SchedWatch(Path file, long[] first) {
            super("bench-sched-watch");
            setDaemon(true);
            this.file = file;
            this.first = first;
            this.last = first;
        }

        static SchedWatch of(long pid) throws IOException {
            try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
                for (Path task : (Iterable<Path>) tasks::iterator) {
                    if (Files.readString(task.resolve("comm")).startsWith("distarch-superv")) {
                        long[] first = read(task.resolve("schedstat"));
                        return first == null ? null : new SchedWatch(task.resolve("schedstat"), first);
                    }
                }
            }
            return null;
        }

        @Override
        public void run() {
            long[] now;
            while ((now = read(file)) != null) {
                last = now;
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        double cpuMillis() {
            return (last[0] - first[0]) / 1e6;
        }

        double waitMillis() {
            return (last[1] - first[1]) / 1e6;
        }

        private static long[] read(Path file) {
            try {
                String[] f = Files.readString(file).trim().split("\\s+");
                return new long[] {Long.parseLong(f[0]), Long.parseLong(f[1])};
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }
    }

    /** Drains the master's log: counts started workers, keeps the Supervision line and the last line. */
    private static final class MasterOutput extends Thread {
        private final Process master;
        private final int workers;
        final CountDownLatch allStarted = new CountDownLatch(1);
        volatile long allStartedAt;
        volatile int started;
        volatile String stats;
        volatile String lastLine;

        MasterOutput(Process master, int workers) {
            super("bench-master-output");
            setDaemon(true);
            this.master = master;
            this.workers = workers;
        }

        @Override
        public void run() {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(master.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    lastLine = line;
                    if (line.contains(" Started (pid") && ++started == workers) {
                        allStartedAt = System.nanoTime();
                        allStarted.countDown();
                    } else if (line.contains("Supervision")) {
                        stats = line.substring(line.indexOf("Supervision"));
                    }
                }
            } catch (IOException e) {
                lastLine = "(reading the master's output failed: " + e + ")";
            }
        }
    }
}
