package org.distarch.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Prints the figures of docs/benchmarks.md: master log throughput with 1 and 8 workers printing as
 * fast as they can, and the master's CPU and memory while it supervises 100 idle workers.
 * Each master is a real {@code distarch run-master} process; workers are {@code seq} and {@code sh}. Every
 * master runs with {@code -Ddistarch.stats=true}, so it logs its supervision thread's figures at the end.
 */
public final class Benchmarks {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    /** The entries run alone by name; a number instead runs the default set with that many idle seconds. */
    private static final java.util.Set<String> ENTRIES = java.util.Set.of("queue", "beanstalkd", "stop", "api",
            "history", "logs", "api-sse", "api-overhead", "remote");
    /** What bin/distarch passes to java unless DISTARCH_JAVA_OPTS says otherwise: keep the two the same. */
    static final String DEFAULT_JAVA_OPTS = "-XX:+UseSerialGC -Xms24m -Xmn16m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20 -XX:TieredStopAtLevel=1 -XX:-UsePerfData";

    private Benchmarks() {}

    private static final String USAGE = """
            Usage: bin/bench [IDLE_SECONDS]          every figure (default 60 idle seconds)
                   bin/bench queue [ITEMS]           the queue, beanstalkd beside when installed (default 200000)
                   bin/bench beanstalkd              beanstalkd alone
                   bin/bench stop [WORKERS] [IDLE_SECONDS]   start, idle, stop (default 1000, 60), supervisord beside
                   bin/bench history                 the history store
                   bin/bench api [WORKERS]           the HTTP API's snapshot latency (default 1000)
                   bin/bench logs [LINES]            log throughput, supervisord beside (default 3000000)
                   bin/bench api-sse [CLIENTS]       the API's streams fanned out (default 50)
                   bin/bench api-overhead            the API server's overhead
                   bin/bench remote [HOSTS] [PER_HOST] [IDLE_SECONDS]   remote at scale (root, test hosts)
            The figures go to docs/benchmarks.md by hand, with the machine described.""";

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println(USAGE);
            return;
        }
        String only = args.length > 0 && ENTRIES.contains(args[0]) ? args[0] : null;
        for (int i = only == null ? 0 : 1; i < args.length; i++) {
            if (!args[i].matches("[0-9]{1,9}")) {
                System.err.println("bin/bench: \"" + args[i] + "\" is neither an entry nor a count\n" + USAGE);
                System.exit(2);
            }
        }
        int idleSeconds = args.length > 0 && only == null ? Integer.parseInt(args[0]) : 60;
        Path dir = Files.createTempDirectory("distarch-bench");
        System.out.printf("machine: %d cores, %s, Java %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name") + " " + System.getProperty("os.version"), System.getProperty("java.version"));
        if (!"beanstalkd".equals(only)) {
            classDataOptions(); // a training run, if any, before any clock starts
        }
        if ("queue".equals(only)) {
            QueueBenchmarks.run(dir, args.length > 1 ? Integer.parseInt(args[1]) : QueueBenchmarks.ITEMS);
        } else if ("beanstalkd".equals(only)) {
            BeanstalkBenchmarks.throughput(QueueBenchmarks.ITEMS, QueueBenchmarks.CONSUMERS, 1);
            BeanstalkBenchmarks.throughput(QueueBenchmarks.ITEMS, QueueBenchmarks.CONSUMERS, 32);
        } else if ("api".equals(only)) {
            ApiBenchmarks.run(dir, args.length > 1 ? Integer.parseInt(args[1]) : 1000);
        } else if ("logs".equals(only)) {
            LogBenchmarks.run(dir, args.length > 1 ? Integer.parseInt(args[1]) : 3_000_000);
        } else if ("api-overhead".equals(only)) {
            ApiFanOutBenchmarks.overhead(dir);
        } else if ("api-sse".equals(only)) {
            ApiFanOutBenchmarks.run(dir, args.length > 1 ? Integer.parseInt(args[1]) : 50);
        } else if ("history".equals(only)) {
            HistoryBenchmarks.run(dir);
        } else if ("remote".equals(only)) {
            RemoteScaleBenchmarks.run(dir, args.length > 1 ? Integer.parseInt(args[1]) : 20,
                    args.length > 2 ? Integer.parseInt(args[2]) : 50, args.length > 3 ? Integer.parseInt(args[3]) : 60);
        } else if ("stop".equals(only)) {
            StopBenchmarks.run(dir, args.length > 1 ? Integer.parseInt(args[1]) : 1000,
                    args.length > 2 ? Integer.parseInt(args[2]) : 60);
        } else {
            throughput(dir, 1, 3_000_000);
            throughput(dir, 8, 500_000);
            LogBenchmarks.run(dir, 3_000_000);
            idle(dir, 100, idleSeconds);
            RemoteBenchmarks.run(dir);
            RemoteScaleBenchmarks.run(dir, 20, 50, idleSeconds);
            QueueBenchmarks.run(dir, QueueBenchmarks.ITEMS);
            StopBenchmarks.run(dir, 1000, idleSeconds);
            ApiBenchmarks.run(dir, 1000);
            HistoryBenchmarks.run(dir);
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    /** Lines per second through the master, from the log's own timestamps of the first and last worker line. */
    static void throughput(Path dir, int workers, int linesEach) throws Exception {
        throughput(dir, workers, linesEach, "local: {instances_count: " + workers + "}", List.of(), "localhost");
    }

    static void throughput(Path dir, int workers, int linesEach, String where, List<String> masterArgs, String host)
            throws Exception {
        String yaml = """
                distributed_architecture:
                  groups:
                    Flood:
                      command: 1 %d
                      bin_path: seq
                      %s
                """.formatted(linesEach, where);
        Path config = dir.resolve("flood-" + workers + "-" + host + ".yaml");
        Files.writeString(config, yaml);
        Process master = master(config, masterArgs).start();
        long lines = 0;
        String first = null;
        String last = null;
        long started = System.nanoTime();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(master.getInputStream(), StandardCharsets.UTF_8),
                1 << 20)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.contains("[Flood] [" + host + "] [1 ") && !line.endsWith("Ended") && !line.contains(" Started (pid")) {
                    lines++;
                    if (first == null) {
                        first = line;
                    }
                    last = line;
                }
            }
        }
        master.waitFor();
        double wall = (System.nanoTime() - started) / 1e9;
        double span = (time(last) - time(first)) / 1000.0;
        System.out.printf(Locale.ROOT, "throughput: %d worker(s) on %s x %,d lines%s: %,d lines logged, %,.0f lines/s "
                + "(first to last line %.2f s; whole run with JVM start %.2f s)%n",
                workers, host, linesEach, masterArgs.isEmpty() ? "" : " (" + String.join(" ", masterArgs) + ")", lines,
                lines / Math.max(span, 0.001), span, wall);
        if (lines != (long) workers * linesEach) {
            System.out.println("  WARNING: expected " + (long) workers * linesEach + " lines");
        }
    }

    /** CPU time and resident memory of a master supervising idle workers that ping every 10 s. */
    static void idle(Path dir, int workers, int seconds) throws Exception {
        idle(dir, workers, seconds, List.of());
    }

    /** The same, the master run with {@code masterArgs} (e.g. {@code --admin-port 0}: no HTTP API). */
    static void idle(Path dir, int workers, int seconds, List<String> masterArgs) throws Exception {
        Path script = dir.resolve("idle.sh");
        Files.writeString(script, "trap 'exit 0' TERM\nwhile :; do echo '@@distarch ping'; sleep 10 & wait $!; done\n");
        String yaml = """
                distributed_architecture:
                  groups:
                    Idle:
                      command: %s
                      bin_path: /bin/sh
                      local: {instances_count: %d}
                """.formatted(script, workers);
        Path config = dir.resolve("idle.yaml");
        Files.writeString(config, yaml);
        Path log = dir.resolve("idle.log");
        Files.deleteIfExists(log);
        Process master = master(config, masterArgs).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (countStarted(log) < workers && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        Thread.sleep(2000);
        long pid = master.pid();
        long cpuBefore = cpuTicks(pid);
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        long cpuAfter = cpuTicks(pid);
        double elapsed = (System.nanoTime() - t0) / 1e9;
        long rssKb = rssKb(pid);
        int threads = threads(pid);
        master.destroy();
        master.waitFor();
        double cpuSeconds = (cpuAfter - cpuBefore) / 100.0;
        System.out.printf(Locale.ROOT, "idle: %d workers for %.0f s%s: master CPU %.2f s (%.2f%% of one core), "
                + "RSS %,d KiB, %d threads%n", workers, elapsed, masterArgs.isEmpty() ? "" : " " + String.join(" ",
                masterArgs), cpuSeconds, 100 * cpuSeconds / elapsed, rssKb, threads);
    }

    static ProcessBuilder master(Path config, List<String> more) {
        List<String> cmd = new ArrayList<>(List.of(javaCommand()));
        cmd.addAll(List.of(javaOptions().trim().split("\\s+")));
        cmd.addAll(classDataOptions());
        cmd.removeIf(String::isEmpty);
        cmd.addAll(List.of("-Ddistarch.stats=true", "-cp", System.getProperty("java.class.path"), "org.distarch.cli.Main", "run-master",
                "--config", config.toString(), "--pid", config.resolveSibling(config.getFileName() + ".pid").toString()));
        cmd.addAll(more);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
        // The HTTP API on as by default, on any free port: benchmarks run beside other builds.
        pb.environment().putIfAbsent("DISTARCH_ADMIN_PORT", "auto");
        return pb;
    }

    private static String javaCommand() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    /** The JVM options bin/distarch would use: its default, or DISTARCH_JAVA_OPTS as given. */
    private static String javaOptions() {
        return System.getenv().getOrDefault("DISTARCH_JAVA_OPTS", DEFAULT_JAVA_OPTS);
    }

    private static List<String> classData;

    /**
     * The class data archive options bin/distarch adds, from the same script (bin/bench names it and the
     * directory in DISTARCH_CLASS_DATA_SCRIPT and DISTARCH_CLASS_DATA_DIR): the masters start as the launcher
     * starts them. Trained once, by the first master's start, and said once.
     */
    static synchronized List<String> classDataOptions() {
        if (classData == null) {
            String java = javaCommand();
            String javaOpts = javaOptions();
            classData = List.of();
            String script = System.getenv("DISTARCH_CLASS_DATA_SCRIPT");
            String dir = System.getenv("DISTARCH_CLASS_DATA_DIR");
            if (script == null || dir == null) {
                System.out.println("class data archive: none (DISTARCH_CLASS_DATA_SCRIPT and _DIR unset: not run by bin/bench)");
                return classData;
            }
            String classPath = System.getProperty("java.class.path");
            List<String> cmd = new ArrayList<>(List.of("sh", "-c", ". \"$1\"; j=$2 o=$3 c=$4 d=$5; shift 5; "
                    + "distarch_class_data \"$j\" \"$o\" \"$c\" \"$d\" \"$@\"; printf %s \"$distarch_cds\"", "sh",
                    script, java, javaOpts, classPath, dir));
            cmd.addAll(List.of(classPath.split(":")));
            try {
                Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
                String options = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (p.waitFor() == 0 && !options.isBlank()) {
                    classData = List.of(options.trim().split("\\s+"));
                }
            } catch (IOException e) {
                System.out.println("class data archive: none (" + e.getMessage() + ")");
                return classData;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return classData;
            }
            System.out.println("class data archive: " + (classData.isEmpty() ? "none (DISTARCH_CLASS_DATA=off, or no "
                    + "archive could be made)" : String.join(" ", classData)));
        }
        return classData;
    }

    private static long countStarted(Path log) throws IOException {
        if (!Files.exists(log)) {
            return 0;
        }
        try (var lines = Files.lines(log)) {
            return lines.filter(l -> l.contains(" Started (pid")).count();
        }
    }

    static long time(String line) {
        return LocalDateTime.parse(line.substring(0, 23), STAMP).atZone(java.time.ZoneId.systemDefault())
                .toInstant().toEpochMilli();
    }

    static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    static long rssKb(long pid) throws IOException {
        return statusField(pid, "VmRSS:");
    }

    static int threads(long pid) throws IOException {
        return (int) statusField(pid, "Threads:");
    }

    private static long statusField(long pid, String name) throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (l.startsWith(name)) {
                return Long.parseLong(l.substring(name.length()).trim().split("\\s+")[0]);
            }
        }
        return -1;
    }
}
