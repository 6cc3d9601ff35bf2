package org.distarch.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * time from start to all running and the master's RSS and thread count at N workers.
 *
 * <p>Two workers, both of which end at once on SIGTERM: {@code sleep 600}, killed by the kernel's default
 * action with no code of its own, so the figure is the master's signalling alone; and a {@code sh} loop that
 * traps TERM and exits 0, with a {@code sleep} child in its group, so the tree has two processes per worker and
 * the shell runs a handler, as a real worker does.
 */
final class StopBenchmarks {

    private static final String SH_WORKER = "trap 'exit 0' TERM; while :; do sleep 10 & wait $!; done";

    private StopBenchmarks() {}

    static void run(Path dir, int workers) throws Exception {
        stop(dir, workers, "sleep 600", "sleep", "600");
        stop(dir, workers, "sh trap loop", "/bin/sh", "-c \"" + SH_WORKER + "\"");
    }

    static void stop(Path dir, int workers, String label, String bin, String command) throws Exception {
        Path config = dir.resolve("stop-" + bin.replace('/', '_') + ".yaml");
        Files.writeString(config, """
                distributed_architecture:
                  groups:
                    Stop:
                      command: '%s'
                      bin_path: %s
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

        long t0 = System.nanoTime();
        master.toHandle().destroy(); // SIGTERM; Process.destroy() would also close our end of its pipes
        long lastExited = waitGone(pids, t0);
        long masterExit = master.onExit().thenApply(p -> System.nanoTime()).get(120, TimeUnit.SECONDS);
        out.join(10_000);

        System.out.printf(Locale.ROOT, "%sall %d running %.2f s after run-master started; master RSS %,d KiB, "
                + "%d threads; %d worker processes%n", name, workers, startup, rssKb, threads, processes);
        double gone = (lastExited - t0) / 1e9;
        System.out.printf(Locale.ROOT, "%sSIGTERM to last worker process gone %.2f s (goal <= 3 s: %s); master exited "
                + "%.2f s after SIGTERM%n", name, gone, gone <= 3 ? "met" : "NOT met", (masterExit - t0) / 1e9);
        System.out.println(name + (out.stats == null ? "no Supervision line from the master (last line: "
                + out.lastLine + ")" : out.stats));
    }

    /**
     * Polls /proc until no pid of {@code pids} is a live process (gone, or a zombie: dead, not yet reaped);
     * returns the {@code nanoTime} at which the last one was seen to go.
     */
    private static long waitGone(Set<Long> pids, long t0) throws InterruptedException {
        long last = t0;
        long deadline = t0 + TimeUnit.SECONDS.toNanos(120);
        while (!pids.isEmpty() && System.nanoTime() < deadline) {
            List<Long> gone = new ArrayList<>();
            for (long p : pids) {
                if (!alive(p)) {
                    gone.add(p);
                }
            }
            if (!gone.isEmpty()) {
                gone.forEach(pids::remove);
                last = System.nanoTime();
            }
            Thread.sleep(5);
        }
        if (!pids.isEmpty()) {
            System.out.println("  WARNING: " + pids.size() + " worker processes still alive after 120 s");
        }
        return last;
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
