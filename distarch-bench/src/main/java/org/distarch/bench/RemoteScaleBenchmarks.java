package org.distarch.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.distarch.testkit.TestHostsLock;

/**
 * Remote at scale: one {@code run-master} with N {@code sleep} workers on each of H test hosts (default 50 on
 * 20: 1,000 remote workers). Figures: start to every worker's {@code Started (pid N)} line; the master's CPU over
 * an idle stretch, its RSS and threads; each host's relay JVM RSS and threads; SIGTERM to the last worker gone on
 * every host, to the master's exit, and whether anything but each host's sshd is left. Then the remote line
 * rate: one worker on one host printing 1,000,000 lines through its relay.
 *
 * <p>The test hosts are testhosts/testhosts.sh's (network namespaces with real OpenSSH servers): root only,
 * and machine-wide, so this takes the same lock file as the tests' TestHosts and waits for other builds.
 */
final class RemoteScaleBenchmarks {


    private RemoteScaleBenchmarks() {}

    static void run(Path dir, int hosts, int perHost, int idleSeconds) throws Exception {
        Path script = Path.of("testhosts/testhosts.sh").toAbsolutePath();
        if (!Files.exists(script) || !"root".equals(System.getProperty("user.name"))) {
            System.out.println("remote-scale: skipped (needs root and testhosts/testhosts.sh, run from the repository root)");
            return;
        }
        holdingHosts(() -> withHosts(dir, script, hosts, perHost, idleSeconds));
    }

    interface HostsWork {
        void run() throws Exception;
    }

    /** Runs {@code work} holding the test hosts' machine-wide lock, the one the tests' TestHosts takes. */
    static void holdingHosts(HostsWork work) throws Exception {
        try (TestHostsLock lock = TestHostsLock.acquire(java.time.Duration.ofMinutes(30))) {
            work.run();
        }
    }

    private static void withHosts(Path dir, Path script, int hosts, int perHost, int idleSeconds) throws Exception {
        Path state = dir.resolve("scale-hosts");
        if (new ProcessBuilder("bash", script.toString(), "up", Integer.toString(hosts), state.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT)
                .start().waitFor() != 0) {
            System.out.println("remote-scale: skipped (test hosts could not start)");
            return;
        }
        try {
            Map<String, Long> inits = inits(state.resolve("hosts.txt"));
            List<String> ssh = List.of("--ssh-config", state.resolve("ssh_config").toString());
            fleet(dir, ssh, inits, perHost, idleSeconds);
            Benchmarks.throughput(dir, 1, 1_000_000, "remote: [{hosts: [da-h1]}]", ssh, "da-h1");
        } finally {
            new ProcessBuilder("bash", script.toString(), "down", state.toString())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start().waitFor();
        }
    }

    private static void fleet(Path dir, List<String> ssh, Map<String, Long> inits, int perHost, int idleSeconds)
            throws Exception {
        int hosts = inits.size();
        int workers = hosts * perHost;
        Path config = dir.resolve("scale.yaml");
        // The workers print nothing: the silence watchdog is off, as in the stop bench (supervisord has none). With
        // the default timeout of 30 s every worker was restarted inside the idle window, which then measured that.
        Files.writeString(config, """
                distributed_architecture:
                  groups:
                    Fleet:
                      command: 86399
                      bin_path: sleep
                      timeout: none
                      remote: [{instances_count: %d, hosts: [%s]}]
                """.formatted(perHost, String.join(", ", inits.keySet())));
        String name = "remote-scale: " + hosts + " hosts x " + perHost + " sleep: ";
        long launched = System.nanoTime();
        Process master = Benchmarks.master(config, ssh).start();
        CountDownLatch all = new CountDownLatch(1);
        long[] allAt = new long[1];
        int[] started = new int[1];
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(master.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.contains(" Started (pid") && ++started[0] == workers) {
                        allAt[0] = System.nanoTime();
                        all.countDown();
                    }
                }
            } catch (IOException e) {
                // the master is gone
            }
        }, "master-output");
        reader.start();
        if (!all.await(180, TimeUnit.SECONDS)) {
            System.out.println(name + "FAILED: " + started[0] + " of " + workers + " started in 180 s");
            master.destroyForcibly();
            master.waitFor();
            return;
        }
        System.out.printf(Locale.ROOT, "%sall %d running %.2f s after run-master started%n", name, workers,
                (allAt[0] - launched) / 1e9);
        Thread.sleep(30_000); // the master settling: the JIT, the history of 1,000 starts, the first usage reports
        long pid = master.pid();
        long cpu0 = cpuTicks(pid);
        long t0 = System.nanoTime();
        Thread.sleep(idleSeconds * 1000L);
        double cpu = (cpuTicks(pid) - cpu0) / 100.0;
        double idle = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "%smaster idle %.0f s: CPU %.2f s (%.2f%% of one core, %.2f s a minute), "
                + "RSS %,d KiB, %d threads%n", name, idle, cpu, 100 * cpu / idle, 60 * cpu / idle,
                Benchmarks.rssKb(pid), Benchmarks.threads(pid));
        relays(name, inits);

        Set<Long> onHosts = new HashSet<>();
        inits.values().forEach(init -> onHosts.addAll(inNamespace(init)));
        long s0 = System.nanoTime();
        master.toHandle().destroy(); // SIGTERM
        long lastGone = 0;
        while (!onHosts.isEmpty() && System.nanoTime() - s0 < TimeUnit.SECONDS.toNanos(60)) {
            onHosts.removeIf(p -> !Files.exists(Path.of("/proc/" + p)));
            lastGone = System.nanoTime();
            Thread.sleep(10);
        }
        long exited = master.onExit().thenApply(p -> System.nanoTime()).get(60, TimeUnit.SECONDS);
        reader.join(10_000);
        int left = 0;
        for (long init : inits.values()) {
            left += inNamespace(init).size();
        }
        System.out.printf(Locale.ROOT, "%sstop (SIGTERM to the master): every process on the hosts gone in %.2f s, "
                + "master exited in %.2f s; %d left on the hosts besides their sshd%n", name, (lastGone - s0) / 1e9,
                (exited - s0) / 1e9, left + onHosts.size());
    }

    /** Each host's relay JVM: found among the host's processes by its command line. */
    private static void relays(String name, Map<String, Long> inits) throws IOException {
        List<Long> rss = new ArrayList<>();
        List<Integer> threads = new ArrayList<>();
        for (long init : inits.values()) {
            for (long p : inNamespace(init)) {
                String cmd = cmdline(p);
                if (cmd.contains("__relay") && cmd.contains("java")) {
                    rss.add(Benchmarks.rssKb(p));
                    threads.add(Benchmarks.threads(p));
                }
            }
        }
        if (rss.isEmpty()) {
            System.out.println(name + "no relay JVM found on the hosts");
            return;
        }
        System.out.printf(Locale.ROOT, "%s%d relay JVMs: RSS %,d to %,d KiB (mean %,d; %,d MiB in all), threads %d to %d%n",
                name, rss.size(), rss.stream().mapToLong(Long::longValue).min().orElse(0),
                rss.stream().mapToLong(Long::longValue).max().orElse(0),
                (long) rss.stream().mapToLong(Long::longValue).average().orElse(0),
                rss.stream().mapToLong(Long::longValue).sum() / 1024,
                threads.stream().mapToInt(Integer::intValue).min().orElse(0),
                threads.stream().mapToInt(Integer::intValue).max().orElse(0));
    }

    /** hosts.txt of testhosts.sh: "name address init-pid" per host. */
    private static Map<String, Long> inits(Path hostsFile) throws IOException {
        Map<String, Long> inits = new LinkedHashMap<>();
        for (String line : Files.readAllLines(hostsFile)) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 3) {
                inits.put(f[0], Long.parseLong(f[2]));
            }
        }
        return inits;
    }

    /** The processes of the host whose PID 1 (its sshd) is {@code init}, except that init itself. */
    private static Set<Long> inNamespace(long init) {
        Set<Long> pids = new HashSet<>();
        Path ns;
        try {
            ns = Files.readSymbolicLink(Path.of("/proc/" + init + "/ns/pid"));
        } catch (IOException e) {
            return pids;
        }
        try (var all = Files.list(Path.of("/proc"))) {
            all.map(p -> p.getFileName().toString()).filter(n -> n.chars().allMatch(Character::isDigit))
                    .map(Long::parseLong).filter(p -> p != init).forEach(p -> {
                        try {
                            if (Files.readSymbolicLink(Path.of("/proc/" + p + "/ns/pid")).equals(ns)) {
                                pids.add(p);
                            }
                        } catch (IOException e) {
                            // gone meanwhile
                        }
                    });
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return pids;
    }

    private static String cmdline(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")), StandardCharsets.UTF_8)
                    .replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
}
