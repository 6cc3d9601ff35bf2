package org.distarch.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP API's snapshot latency: a real {@code run-master} with N local {@code sleep 600} workers (default
 * 1,000), its API on an auto port, then 200 timed requests (after 20 to warm up) of the whole process list
 * ({@code /api/v1/processes?limit=1000}) and of {@code /api/v1/status}, one at a time over one kept-alive
 * connection, as a page refreshing its table would. The goal: under 50 ms at 1,000 processes.
 */
final class ApiBenchmarks {

    private static final int WARMUP = 20;
    private static final int TIMED = 200;

    private ApiBenchmarks() {}

    static void run(Path dir, int workers) throws Exception {
        Path config = dir.resolve("api.yaml");
        Files.writeString(config, """
                distributed_architecture:
                  groups:
                    Api:
                      command: '600'
                      bin_path: sleep
                      local: {instances_count: %d}
                """.formatted(workers));
        Process master = Benchmarks.master(config, List.of()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            Path urlFile = config.resolveSibling("api.yaml.admin-url");
            Path tokenFile = config.resolveSibling("api.yaml.admin-token");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!(Files.exists(urlFile) && Files.exists(tokenFile)) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            String url = Files.readString(urlFile).trim();
            String token = Files.readString(tokenFile).trim();
            // HTTP/1.1 as a page's fetch over plain HTTP: no h2c upgrade offer on the connection it keeps alive.
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String running = url + "api/v1/processes?state=RUNNING&limit=1";
            while (System.nanoTime() < deadline && !allRunning(http, running, token, workers)) {
                Thread.sleep(200);
            }
            for (String path : List.of("api/v1/processes?limit=1000", "api/v1/status")) {
                long[] nanos = new long[TIMED];
                int bytes = 0;
                for (int i = 0; i < WARMUP + TIMED; i++) {
                    long t0 = System.nanoTime();
                    bytes = get(http, url + path, token).length();
                    if (i >= WARMUP) {
                        nanos[i - WARMUP] = System.nanoTime() - t0;
                    }
                }
                Arrays.sort(nanos);
                double p50 = nanos[TIMED / 2] / 1e6;
                double p95 = nanos[TIMED * 95 / 100] / 1e6;
                System.out.printf(Locale.ROOT, "api: GET /%s with %d processes (%,d bytes): p50 %.1f ms, p95 %.1f ms, "
                        + "max %.1f ms (goal < 50 ms: %s)%n", path, workers, bytes, p50, p95, nanos[TIMED - 1] / 1e6,
                        p95 < 50 ? "met" : "NOT met");
            }
        } finally {
            master.toHandle().destroy();
            if (!master.waitFor(120, TimeUnit.SECONDS)) {
                master.destroyForcibly();
            }
        }
    }

    /** Whether every worker runs; while a thousand start, the supervision thread may answer late (a 504). */
    private static boolean allRunning(HttpClient http, String url, String token, int workers) throws Exception {
        try {
            return get(http, url, token).contains("\"total\":" + workers + ",");
        } catch (IllegalStateException e) {
            return false;
        }
    }

    private static String get(HttpClient http, String url, String token) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }
}
