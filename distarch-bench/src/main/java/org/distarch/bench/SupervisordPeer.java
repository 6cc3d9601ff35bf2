package org.distarch.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The same local fleet under supervisord (Debian's {@code supervisor} package), measured in the same run as
 * distarch's so that the machine's load is the same: N {@code sleep 600} programs ({@code numprocs}, each with
 * its stdout and stderr log files as by default), start to all N children running, RSS and threads, CPU over an
 * idle stretch, SIGTERM to the last child gone and to supervisord's own exit. Says so and measures nothing
 * when supervisord is not installed.
 */
final class SupervisordPeer {

    private SupervisordPeer() {}

    static void run(Path dir, int workers, int idleSeconds) throws Exception {
        String name = "stop: " + workers + " x sleep 600 under supervisord: ";
        String supervisord = which("supervisord");
        if (supervisord == null) {
            System.out.println(name + "not measured: supervisord is not installed (Debian: apt-get install supervisor)");
            return;
        }
        Path home = Files.createDirectories(dir.resolve("supervisord"));
        Path config = home.resolve("supervisord.conf");
        Files.writeString(config, """
                [supervisord]
                nodaemon=true
                logfile=%1$s/supervisord.log
                pidfile=%1$s/supervisord.pid
                childlogdir=%1$s
                minfds=%2$d

                [program:sleep]
                command=sleep 600
                numprocs=%3$d
                process_name=%%(program_name)s_%%(process_num)d
                startsecs=0
                autorestart=false
                """.formatted(home, workers * 6 + 100, workers));
        long launched = System.nanoTime();
        Process peer = new ProcessBuilder(supervisord, "-c", config.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(true).start();
        long pid = peer.pid();
        long deadline = launched + TimeUnit.SECONDS.toNanos(120);
        Set<Long> children = children(pid);
        while (children.size() < workers && System.nanoTime() < deadline && peer.isAlive()) {
            Thread.sleep(20);
            children = children(pid);
        }
        if (children.size() < workers) {
            System.out.println(name + "FAILED: " + children.size() + " children after 120 s (see " + home + ")");
            // SIGTERM, so that supervisord stops its children: a SIGKILL would leave them to init.
            Set<Long> started = children;
            peer.destroy();
            if (!peer.waitFor(120, TimeUnit.SECONDS)) {
                peer.destroyForcibly();
            }
            started.forEach(c -> ProcessHandle.of(c).ifPresent(ProcessHandle::destroyForcibly));
            return;
        }
        double startup = (System.nanoTime() - launched) / 1e9;
        Thread.sleep(2000);
        long rssKb = Benchmarks.rssKb(pid);
        int threads = Benchmarks.threads(pid);
        double idleCpu = idleCpuSeconds(pid, idleSeconds);
        System.out.printf(Locale.ROOT, "%sall %d running %.2f s after supervisord started; RSS %,d KiB, %d threads; "
                + "CPU %.2f s in %d idle s (%.2f s a minute)%n", name, workers, startup, rssKb, threads, idleCpu,
                idleSeconds, idleCpu * 60 / idleSeconds);
        Set<Long> pids = new HashSet<>();
        peer.toHandle().descendants().forEach(p -> pids.add(p.pid()));
        long t0 = System.nanoTime();
        peer.toHandle().destroy();
        long lastGone = StopBenchmarks.waitGone(pids, t0);
        long exited = peer.onExit().thenApply(p -> System.nanoTime()).get(120, TimeUnit.SECONDS);
        System.out.printf(Locale.ROOT, "%sSIGTERM to last worker process gone %.2f s; supervisord exited %.2f s after "
                + "SIGTERM%n", name, (lastGone - t0) / 1e9, (exited - t0) / 1e9);
    }

    /** CPU time (user + system) the process spends in {@code seconds} of wall time. */
    static double idleCpuSeconds(long pid, int seconds) throws Exception {
        if (seconds <= 0) {
            return 0;
        }
        long before = Benchmarks.cpuTicks(pid);
        Thread.sleep(seconds * 1000L);
        return (Benchmarks.cpuTicks(pid) - before) / 100.0;
    }

    private static Set<Long> children(long pid) {
        Set<Long> all = new HashSet<>();
        ProcessHandle.of(pid).ifPresent(p -> p.children().forEach(c -> all.add(c.pid())));
        return all;
    }

    private static String which(String program) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(d.isEmpty() ? "." : d, program);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        for (String d : List.of("/usr/bin", "/usr/local/bin")) {
            Path p = Path.of(d, program);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }
}
