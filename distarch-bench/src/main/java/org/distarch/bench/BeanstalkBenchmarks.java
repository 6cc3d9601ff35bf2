package org.distarch.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The peer of the queue figures: beanstalkd (Debian package {@code beanstalkd}) with the same number of
 * consumer processes doing nothing with their jobs, at the same window, in the same run. The tube is filled
 * first ({@code put}, not timed), the consumers ({@link BeanstalkConsumer}) connect, and all start together;
 * the figure is jobs over the time from the first job reserved to the last delete answered, as the distarch
 * figure is items over first hand-out to last success. Skipped, saying so, when beanstalkd is not installed.
 */
final class BeanstalkBenchmarks {

    private BeanstalkBenchmarks() {}

    /** The beanstalkd on the PATH, if any. */
    static Optional<Path> beanstalkd() {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "beanstalkd");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Prints one line: jobs per second with {@code consumers} processes each holding at most {@code window}. */
    static void throughput(int jobs, int consumers, int window) throws Exception {
        Optional<Path> server = beanstalkd();
        if (server.isEmpty()) {
            System.out.println("queue: beanstalkd is not installed (Debian package beanstalkd): comparison skipped");
            return;
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        // In memory (no -b): distarch's feeder keeps its items in memory too.
        Process beanstalkd = new ProcessBuilder(server.get().toString(), "-l", "127.0.0.1", "-p", Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        List<Process> workers = new ArrayList<>();
        try {
            awaitPort(port);
            fill(port, jobs);
            List<BufferedReader> outs = new ArrayList<>();
            for (int i = 0; i < consumers; i++) {
                // The same JVM options as distarch's consumers get (DISTARCH_WORKER_JAVA_OPTS), so both sides run alike.
                List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
                String opts = System.getenv("DISTARCH_WORKER_JAVA_OPTS");
                if (opts != null && !opts.isBlank()) {
                    command.addAll(List.of(opts.trim().split("\\s+")));
                }
                command.addAll(List.of("-cp", System.getProperty("java.class.path"), BeanstalkConsumer.class.getName(),
                        "127.0.0.1", Integer.toString(port), Integer.toString(window)));
                Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
                workers.add(p);
                outs.add(new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)));
            }
            for (BufferedReader out : outs) {
                String line = out.readLine();
                if (!"ready".equals(line)) {
                    throw new IOException("a beanstalkd consumer said " + line);
                }
            }
            for (Process p : workers) {
                OutputStream in = p.getOutputStream();
                in.write("go\n".getBytes(StandardCharsets.US_ASCII));
                in.flush();
            }
            long deleted = 0;
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            for (BufferedReader out : outs) {
                String line = out.readLine();
                if (line == null || !line.startsWith("result ")) {
                    throw new IOException("a beanstalkd consumer ended with " + line);
                }
                String[] f = line.split(" ");
                deleted += Long.parseLong(f[1].substring("deleted=".length()));
                long firstHere = Long.parseLong(f[2].substring("first=".length()));
                if (firstHere != 0) {
                    first = Math.min(first, firstHere);
                }
                last = Math.max(last, Long.parseLong(f[3].substring("last=".length())));
            }
            System.out.printf(Locale.ROOT, "queue: beanstalkd %s, %d consumers, window %d: %d jobs, throughput=%.0f "
                    + "jobs/s%n", version(server.get()), consumers, window, deleted, deleted / ((last - first) / 1e9));
            if (deleted != jobs) {
                System.out.println("  WARNING: expected " + jobs + " jobs deleted");
            }
        } finally {
            for (Process p : workers) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
            beanstalkd.destroy();
            if (!beanstalkd.waitFor(10, TimeUnit.SECONDS)) {
                beanstalkd.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Puts the jobs (their numbers as text, as distarch's items are numbers), a thousand per write. */
    private static void fill(int port, int jobs) throws IOException {
        try (BeanstalkClient client = new BeanstalkClient("127.0.0.1", port)) {
            int sent = 0;
            while (sent < jobs) {
                int batch = Math.min(1000, jobs - sent);
                for (int i = 0; i < batch; i++) {
                    client.put(Integer.toString(sent + i).getBytes(StandardCharsets.US_ASCII));
                }
                client.flush();
                for (int i = 0; i < batch; i++) {
                    BeanstalkClient.Reply r = client.next();
                    if (!r.word().equals("INSERTED")) {
                        throw new IOException("beanstalkd did not insert a job: " + r.word());
                    }
                }
                sent += batch;
            }
        }
    }

    private static void awaitPort(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                new Socket("127.0.0.1", port).close();
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("beanstalkd did not listen on port " + port + " within 10 s", e);
                }
                Thread.sleep(20); // start-up only, not a measured path
            }
        }
    }

    private static String version(Path server) {
        try {
            Process p = new ProcessBuilder(server.toString(), "-v").redirectErrorStream(true).start();
            String v = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor(5, TimeUnit.SECONDS);
            return v.replace("beanstalkd ", "");
        } catch (IOException | InterruptedException e) {
            return "(version unknown)";
        }
    }
}
