package org.distarch.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Queue groups: items per second through one local feeder and 4 local consumers with a trivial handler
 * ({@link BenchQueueCommand}), at prefetch 1 and 32, and the latency from an item being available to its
 * success reaching the feeder, at a light arrival rate. Real master, feeder and consumer processes. Each burst
 * is followed by beanstalkd's figure for the same consumers and window ({@link BeanstalkBenchmarks}), when it
 * is installed.
 */
final class QueueBenchmarks {

    private QueueBenchmarks() {}

    static final int ITEMS = 200_000;
    static final int CONSUMERS = 4;

    /** distarch and beanstalkd in turn, at one item in flight per consumer and at a window of 32. */
    /** @param items the burst's size: a longer burst weighs the JVMs' warm-up (JIT) less */
    static void run(Path dir, int items) throws Exception {
        throughput(dir, items, 1, 0);
        BeanstalkBenchmarks.throughput(items, CONSUMERS, 1);
        throughput(dir, items, 32, 0);
        BeanstalkBenchmarks.throughput(items, CONSUMERS, 32);
        throughput(dir, 5_000, 1, 1000);
    }

    static void throughput(Path dir, int items, int prefetch, int rate) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path config = dir.resolve("queue-" + prefetch + "-" + rate + ".yaml");
        Files.writeString(config, """
                distributed_architecture:
                  queue_groups:
                    Bench:
                      command: bench:queue
                      params: {items: %d, rate: %d, consumers: %d}
                      prefetch: %d
                      local_feeder: {bind_to: 127.0.0.1, port: %d}
                      consumers:
                        local: {instances_count: %d, host: 127.0.0.1, port: %d}
                """.formatted(items, rate, CONSUMERS, prefetch, port, CONSUMERS, port));
        Process master = Benchmarks.master(config, List.of()).start();
        String result = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(master.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                int at = line.indexOf("bench-");
                if (at >= 0) {
                    result = line.substring(at);
                    if (result.startsWith("bench-result")) {
                        break;
                    }
                    System.out.println("queue: " + result);
                }
            }
        }
        master.destroy(); // SIGTERM: a clean stop
        master.waitFor(60, TimeUnit.SECONDS);
        System.out.printf("queue: distarch, %d local consumers, prefetch %d: %s%n", CONSUMERS, prefetch, result);
    }
}
