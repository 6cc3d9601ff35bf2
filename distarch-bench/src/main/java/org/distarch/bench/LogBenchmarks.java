package org.distarch.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * {@code bin/bench logs [LINES]}: one worker ({@code seq 1 LINES}, a program that prints as fast as the pipe
 * takes it) through a real master that writes its log to a file and the worker's per-process file
 * ({@code logs.dir}), then the same program under supervisord writing its {@code stdout_logfile}, in the same
 * run. The master log's rate is from its own timestamps of the first and last worker line (as the other
 * throughput figures); the per-process file's from its lines' timestamps too; supervisord's file has no
 * timestamps, so its span is from a 1 ms poll of the file's size, first byte to last. Every line is checked
 * to be there, in order, in each file.
 */
final class LogBenchmarks {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    private LogBenchmarks() {}

    static void run(Path dir, int lines) throws Exception {
        distarch(dir, lines);
        supervisord(dir, lines);
    }

    static void distarch(Path dir, int lines) throws Exception {
        Path files = dir.resolve("logs-files");
        Path config = dir.resolve("logs.yaml");
        Files.writeString(config, """
                distributed_architecture:
                  groups:
                    Flood:
                      command: 1 %d
                      bin_path: seq
                      logs: {dir: %s, max_bytes: 1T, backups: 0}
                      local: {instances_count: 1}
                """.formatted(lines, files));
        Path log = dir.resolve("logs-master.log");
        Process master = Benchmarks.master(config, List.of()).redirectOutput(log.toFile()).start();
        long ticks = 0;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (master.isAlive() && System.nanoTime() < deadline) {
            try {
                ticks = Benchmarks.cpuTicks(master.pid()); // the last sample before it exits
            } catch (IOException | RuntimeException e) {
                break; // it just exited
            }
            Thread.sleep(5);
        }
        if (!master.waitFor(1, TimeUnit.MINUTES)) {
            master.destroyForcibly();
            throw new IllegalStateException("the master did not end");
        }
        Span logged = span(log, "[Flood] [localhost] [1 ", lines);
        Span file = span(files.resolve("Flood-1.log"), " stdout ", lines);
        System.out.printf(Locale.ROOT, "logs: distarch, 1 worker x %,d lines: master log %s%n", lines, logged);
        System.out.printf(Locale.ROOT, "logs: distarch, same run: per-process file %s%n", file);
        System.out.printf(Locale.ROOT, "logs: distarch, same run: master CPU %.2f s in all (JVM start included), "
                + "%.0f ns per line%n", ticks / 100.0, ticks * 1e7 / lines);
    }

    static void supervisord(Path dir, int lines) throws Exception {
        Path bin = Path.of("/usr/bin/supervisord");
        if (!Files.isExecutable(bin)) {
            System.out.println("logs: supervisord not installed (Debian package supervisor), its figures skipped");
            return;
        }
        Path sup = Files.createDirectories(dir.resolve("supervisord"));
        Path out = sup.resolve("flood.log");
        Path conf = sup.resolve("supervisord.conf");
        Files.writeString(conf, """
                [supervisord]
                nodaemon=true
                logfile=%1$s/supervisord.log
                pidfile=%1$s/supervisord.pid
                childlogdir=%1$s
                [program:flood]
                command=seq 1 %2$d
                autorestart=false
                startsecs=0
                stdout_logfile=%3$s
                stdout_logfile_maxbytes=0
                stderr_logfile=%1$s/flood.err
                """.formatted(sup, lines, out));
        long expected = seqBytes(lines);
        Process p = new ProcessBuilder(bin.toString(), "-c", conf.toString())
                .redirectOutput(sup.resolve("stdout").toFile()).redirectErrorStream(true).start();
        long first = 0;
        long last = 0;
        long ticksFirst = 0;
        long ticksLast = 0;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        try {
            while (System.nanoTime() < deadline) {
                long size = Files.exists(out) ? Files.size(out) : 0;
                long now = System.nanoTime();
                if (size > 0 && first == 0) {
                    first = now;
                    ticksFirst = Benchmarks.cpuTicks(p.pid());
                }
                if (size >= expected) {
                    last = now;
                    ticksLast = Benchmarks.cpuTicks(p.pid());
                    break;
                }
                Thread.sleep(1);
            }
        } finally {
            p.destroy();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        if (last == 0) {
            System.out.println("logs: supervisord did not write all " + expected + " bytes in time");
            return;
        }
        double seconds = Math.max(last - first, 1_000_000) / 1e9;
        long counted = checkSeq(out, lines);
        System.out.printf(Locale.ROOT, "logs: supervisord %s, same run: stdout_logfile %,d lines, %,.1f M lines/s, "
                + "%,.0f MB/s (first to last byte %.3f s, 1 ms poll; its CPU meanwhile %.2f s)%s%n", version(bin),
                counted, lines / seconds / 1e6, expected / seconds / 1e6, seconds, (ticksLast - ticksFirst) / 100.0,
                counted == lines ? "" : "  WARNING: lines missing or out of order");
    }

    /** A file's worker lines: how many, in order, and their rate between the first and the last one's timestamp. */
    private record Span(long lines, boolean inOrder, long bytes, double seconds) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%,d lines, %,.1f M lines/s, %,.0f MB/s (first to last line %.3f s)%s",
                    lines, lines / seconds / 1e6, bytes / seconds / 1e6, seconds,
                    inOrder ? "" : "  WARNING: lines missing or out of order");
        }
    }

    /** Lines of {@code file} that contain {@code marker}: each must end in the next number of the sequence. */
    private static Span span(Path file, String marker, int expected) throws IOException {
        long count = 0;
        long bytes = 0;
        boolean inOrder = true;
        String first = null;
        String last = null;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line; (line = in.readLine()) != null; ) {
                int at = line.indexOf(marker);
                String tail = line.substring(line.lastIndexOf(' ') + 1);
                if (at < 0 || tail.isEmpty() || !tail.chars().allMatch(Character::isDigit)) {
                    continue; // another process's line, or the master's own about this one (Started, Ended)
                }
                if (!tail.equals(Long.toString(count + 1))) {
                    inOrder = false;
                }
                count++;
                bytes += line.length() + 1;
                if (first == null) {
                    first = line;
                }
                last = line;
            }
        }
        if (first == null) {
            return new Span(0, false, 0, 1);
        }
        double seconds = Math.max(time(last) - time(first), 1) / 1000.0;
        return new Span(count, inOrder && count == expected, bytes, seconds);
    }

    private static long time(String line) {
        return LocalDateTime.parse(line.substring(0, 23), STAMP).atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
    }

    /** The bytes {@code seq 1 n} prints. */
    static long seqBytes(int n) {
        long total = 0;
        for (long digits = 1, low = 1; low <= n; digits++, low *= 10) {
            long high = Math.min(n, low * 10 - 1);
            total += (high - low + 1) * (digits + 1);
        }
        return total;
    }

    /** How many lines of {@code file} are 1, 2, 3, ... in order (stops at the first that is not). */
    private static long checkSeq(Path file, int n) throws IOException {
        long k = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line; (line = in.readLine()) != null; ) {
                if (!line.equals(Long.toString(k + 1))) {
                    break;
                }
                k++;
            }
        }
        return k;
    }

    private static String version(Path bin) {
        try {
            Process p = new ProcessBuilder(bin.toString(), "--version").redirectErrorStream(true).start();
            String v = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor(10, TimeUnit.SECONDS);
            return v;
        } catch (IOException | InterruptedException e) {
            return "?";
        }
    }
}
