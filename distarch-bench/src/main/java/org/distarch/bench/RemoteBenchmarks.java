package org.distarch.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The remote figures: time from {@code run-master} to every instance running on 2 hosts × 8 instances, and
 * log throughput from one remote worker through SSH. Uses the test hosts of testhosts/testhosts.sh (network
 * namespaces with real OpenSSH servers), so it runs as root only; otherwise it says so and skips.
 */
final class RemoteBenchmarks {

    private RemoteBenchmarks() {}

    static void run(Path dir) throws Exception {
        Path script = Path.of("testhosts/testhosts.sh").toAbsolutePath();
        if (!Files.exists(script) || !"root".equals(System.getProperty("user.name"))) {
            System.out.println("remote: skipped (needs root and testhosts/testhosts.sh, run from the repository root)");
            return;
        }
        RemoteScaleBenchmarks.holdingHosts(() -> withHosts(dir, script));
    }

    private static void withHosts(Path dir, Path script) throws Exception {
        Path state = dir.resolve("hosts");
        if (new ProcessBuilder("bash", script.toString(), "up", "2", state.toString()).inheritIO()
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor() != 0) {
            System.out.println("remote: skipped (test hosts could not start)");
            return;
        }
        try {
            List<String> ssh = List.of("--ssh-config", state.resolve("ssh_config").toString());
            startup(dir, ssh);
            Benchmarks.throughput(dir, 1, 1_000_000, "remote: [{hosts: [da-h1]}]", ssh, "da-h1");
        } finally {
            new ProcessBuilder("bash", script.toString(), "down", state.toString())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start().waitFor();
        }
    }

    private static void startup(Path dir, List<String> ssh) throws Exception {
        String yaml = """
                distributed_architecture:
                  groups:
                    Fleet:
                      command: -c 'echo ready; exec sleep 600'
                      bin_path: /bin/sh
                      remote: [{instances_count: 8, hosts: [da-h1, da-h2]}]
                """;
        Path config = dir.resolve("startup.yaml");
        Files.writeString(config, yaml);
        long t0 = System.nanoTime();
        Process master = Benchmarks.master(config, ssh).start();
        int ready = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(master.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while (ready < 16 && (line = in.readLine()) != null) {
                if (line.endsWith("] ready")) {
                    ready++;
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "remote: 2 hosts x 8 instances: %d of 16 running %.2f s after run-master "
                    + "started (JVM start, 2 SSH sessions, 2 relay JVMs, 16 workers)%n", ready, seconds);
            master.toHandle().destroy(); // SIGTERM; Process.destroy() would also close our end of its pipes
            while (in.readLine() != null) {
                // drain until the master has stopped everything
            }
        }
        master.waitFor();
    }
}
