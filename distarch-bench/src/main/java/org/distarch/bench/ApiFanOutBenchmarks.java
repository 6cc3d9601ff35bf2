package org.distarch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The HTTP API's live streams under load, and what the server costs a master (bin/bench api-sse [CLIENTS]).
 *
 * <ul>
 *   <li><b>Log fan-out</b>: 8 workers flood (each {@code seq 1 N} once the harness says go) while CLIENTS
 *       (default 50) follow {@code /api/v1/logs/stream}; also run with no follower, so the flood's own rate is
 *       the baseline. Per run: the flood's lines per second (the master's log timestamps of its first and last
 *       line), how many lines each follower got and how many were cut off as too slow.</li>
 *   <li><b>Event fan-out</b>: CLIENTS follow {@code /api/v1/events} while the harness suspends and resumes a
 *       group of 50 {@code sleep} workers through the API, 5 times: how long until the last client saw the
 *       last of the 50 rows STOPPED (then RUNNING again), from the POST.</li>
 *   <li><b>Overhead</b>: 100 idle workers for 30 s, and 8 workers flooding, each with the API on (default) and
 *       off ({@code --admin-port 0}): the master's CPU, memory and threads, and lines per second.</li>
 * </ul>
 */
final class ApiFanOutBenchmarks {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FLOODERS = 8;
    private static final int FLOOD_LINES = 100_000;
    private static final int CHURN = 50;
    private static final int ROUNDS = 5;

    private ApiFanOutBenchmarks() {}

    static void run(Path dir, int clients) throws Exception {
        logFanOut(dir, 0);
        logFanOut(dir, clients);
        eventFanOut(dir, clients);
        overhead(dir);
    }

    /** The server's cost: idle and flooding, with the API on and off, alternated so that load drifts hit both. */
    static void overhead(Path dir) throws Exception {
        List<String> off = List.of("--admin-port", "0");
        for (int round = 0; round < 2; round++) {
            Benchmarks.idle(dir, 100, 30, List.of());
            Benchmarks.idle(dir, 100, 30, off);
        }
        String where = "local: {instances_count: " + FLOODERS + "}";
        for (int round = 0; round < 3; round++) {
            Benchmarks.throughput(dir, FLOODERS, 500_000, where, List.of(), "localhost");
            Benchmarks.throughput(dir, FLOODERS, 500_000, where, off, "localhost");
        }
    }

    /**
     * The master's log as it comes (read from its stdout on a thread, never by reading a growing file again):
     * processes started, and the flood's lines with the times of the first and the last.
     */
    private static final class MasterLog {
        final AtomicLong started = new AtomicLong();
        final AtomicLong flood = new AtomicLong();
        volatile String first;
        volatile String last;

        MasterLog(Process master) {
            Thread t = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(master.getInputStream(),
                        StandardCharsets.UTF_8), 1 << 20)) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        if (line.contains(" Started (pid")) {
                            started.incrementAndGet();
                        } else if (line.contains("[Flood] [localhost]") && FLOOD_LINE.matcher(line).matches()) {
                            if (first == null) {
                                first = line;
                            }
                            last = line;
                            flood.incrementAndGet();
                        }
                    }
                } catch (java.io.IOException e) {
                    // the master ended
                }
            }, "bench-master-log");
            t.setDaemon(true);
            t.start();
        }

        void await(AtomicLong counter, long count) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (counter.get() < count && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            if (counter.get() < count) {
                throw new IllegalStateException("only " + counter.get() + " of " + count + " log lines within 180 s");
            }
        }

        double floodSeconds() {
            return (Benchmarks.time(last) - Benchmarks.time(first)) / 1000.0;
        }
    }

    private static final java.util.regex.Pattern FLOOD_LINE = java.util.regex.Pattern.compile(".*\\] \\d+$");

    /** A master with its API on an auto port, its URL and token once it serves. */
    private record Api(Process master, String url, String token, MasterLog log) implements AutoCloseable {
        static Api start(Path config) throws Exception {
            Process master = Benchmarks.master(config, List.of()).start();
            MasterLog log = new MasterLog(master);
            Path urlFile = config.resolveSibling(config.getFileName() + ".admin-url");
            Path tokenFile = config.resolveSibling(config.getFileName() + ".admin-token");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!(Files.exists(urlFile) && Files.exists(tokenFile)) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            return new Api(master, Files.readString(urlFile).trim(), Files.readString(tokenFile).trim(), log);
        }

        HttpRequest.Builder request(String path) {
            return HttpRequest.newBuilder(URI.create(url + path)).header("Authorization", "Bearer " + token);
        }

        @Override
        public void close() throws Exception {
            master.toHandle().destroy();
            if (!master.waitFor(120, TimeUnit.SECONDS)) {
                master.destroyForcibly();
            }
        }
    }

    /** One open stream, read on its own thread, each server-sent message handed to {@code onMessage}. */
    private static Thread follow(HttpClient http, HttpRequest request, java.util.function.BiConsumer<String, String> onMessage)
            throws Exception {
        HttpResponse<Stream<String>> response = http.send(request, HttpResponse.BodyHandlers.ofLines());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(request.uri() + " answered " + response.statusCode());
        }
        Thread reader = new Thread(() -> {
            String event = null;
            try (Stream<String> lines = response.body()) {
                for (String line : (Iterable<String>) lines::iterator) {
                    if (line.startsWith("event: ")) {
                        event = line.substring(7);
                    } else if (line.startsWith("data: ")) {
                        onMessage.accept(event, line.substring(6));
                    }
                }
            } catch (RuntimeException e) {
                // closed by the harness, or the master stopped
            }
        }, "bench-stream");
        reader.setDaemon(true);
        reader.start();
        return reader;
    }

    private static void logFanOut(Path dir, int clients) throws Exception {
        Path go = dir.resolve("go-" + clients);
        Path script = dir.resolve("flood-on-go.sh");
        Files.writeString(script, "while [ ! -e '" + go + "' ]; do sleep 0.1; done\nseq 1 " + FLOOD_LINES
                + "\nexec sleep 600\n");
        Path config = dir.resolve("fanout-" + clients + ".yaml");
        Files.writeString(config, """
                distributed_architecture:
                  groups:
                    Flood:
                      command: %s
                      bin_path: /bin/sh
                      local: {instances_count: %d}
                """.formatted(script, FLOODERS));
        long total = (long) FLOODERS * FLOOD_LINES;
        try (Api api = Api.start(config)) {
            HttpClient http = HttpClient.newHttpClient();
            api.log().await(api.log().started, FLOODERS);
            AtomicLong[] received = new AtomicLong[clients];
            AtomicBoolean[] cut = new AtomicBoolean[clients];
            List<Thread> readers = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                AtomicLong count = received[i] = new AtomicLong();
                AtomicBoolean ended = cut[i] = new AtomicBoolean();
                readers.add(follow(http, api.request("api/v1/logs/stream?lines=0&group=Flood").build(), (event, data) -> {
                    if ("line".equals(event) && data.contains("\"stream\":\"stdout\"")) {
                        count.incrementAndGet();
                    } else if ("end".equals(event)) {
                        ended.set(true);
                    }
                }));
            }
            Thread.sleep(1000); // every follower subscribed
            long cpu0 = Benchmarks.cpuTicks(api.master().pid());
            long t0 = System.nanoTime();
            Files.writeString(go, "go");
            api.log().await(api.log().flood, total);
            double floodSeconds = api.log().floodSeconds();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (System.nanoTime() < deadline && !allDone(received, cut, total)) {
                Thread.sleep(100);
            }
            double deliveredSeconds = (System.nanoTime() - t0) / 1e9;
            double cpu = (Benchmarks.cpuTicks(api.master().pid()) - cpu0) / 100.0;
            long[] got = Arrays.stream(received).mapToLong(AtomicLong::get).sorted().toArray();
            long cutOff = Arrays.stream(cut).filter(AtomicBoolean::get).count();
            System.out.printf(Locale.ROOT, "api-sse: logs: %d workers x %,d lines with %d followers: flood %,.0f lines/s "
                    + "(%.2f s)%s; master CPU %.1f s until the last follower was done or cut off (%.1f s)%n",
                    FLOODERS, FLOOD_LINES, clients, total / Math.max(floodSeconds, 0.001), floodSeconds,
                    clients == 0 ? "" : String.format(Locale.ROOT, "; per follower: min %,d, median %,d of %,d lines, "
                            + "%d cut off as too slow", got[0], got[got.length / 2], total, cutOff),
                    cpu, deliveredSeconds);
            readers.forEach(Thread::interrupt);
        }
    }

    private static boolean allDone(AtomicLong[] received, AtomicBoolean[] cut, long total) {
        for (int i = 0; i < received.length; i++) {
            if (!cut[i].get() && received[i].get() < total) {
                return false;
            }
        }
        return true;
    }

    private static void eventFanOut(Path dir, int clients) throws Exception {
        Path config = dir.resolve("events-" + clients + ".yaml");
        Files.writeString(config, """
                distributed_architecture:
                  groups:
                    Churn:
                      command: '600'
                      bin_path: sleep
                      stop_timeout: 2
                      local: {instances_count: %d}
                """.formatted(CHURN));
        try (Api api = Api.start(config)) {
            HttpClient http = HttpClient.newHttpClient();
            api.log().await(api.log().started, CHURN);
            List<Set<Integer>> stopped = new ArrayList<>();
            List<Set<Integer>> running = new ArrayList<>();
            AtomicLong messages = new AtomicLong();
            for (int i = 0; i < clients; i++) {
                Set<Integer> down = ConcurrentHashMap.newKeySet();
                Set<Integer> up = ConcurrentHashMap.newKeySet();
                stopped.add(down);
                running.add(up);
                follow(http, api.request("api/v1/events").build(), (event, data) -> {
                    messages.incrementAndGet();
                    if (!"process".equals(event)) {
                        return;
                    }
                    try {
                        JsonNode m = JSON.readTree(data);
                        int id = m.path("id").asInt();
                        String state = m.path("process").path("state").asText();
                        if (state.equals("STOPPED")) {
                            down.add(id);
                            up.remove(id);
                        } else if (state.equals("RUNNING")) {
                            up.add(id);
                            down.remove(id);
                        }
                    } catch (java.io.IOException e) {
                        throw new IllegalStateException(e);
                    }
                });
            }
            Thread.sleep(1000);
            List<Double> suspends = new ArrayList<>();
            List<Double> resumes = new ArrayList<>();
            long cpu0 = Benchmarks.cpuTicks(api.master().pid());
            long m0 = messages.get();
            for (int round = 0; round < ROUNDS; round++) {
                suspends.add(act(http, api, "suspend", stopped));
                resumes.add(act(http, api, "resume", running));
            }
            double cpu = (Benchmarks.cpuTicks(api.master().pid()) - cpu0) / 100.0;
            suspends.sort(null);
            resumes.sort(null);
            System.out.printf(Locale.ROOT, "api-sse: events: %d clients, a group of %d suspended and resumed %d times: "
                    + "the last client saw all %d STOPPED after median %.0f ms (max %.0f), all RUNNING again after median "
                    + "%.0f ms (max %.0f); %,d messages delivered in all; master CPU %.1f s%n", clients, CHURN, ROUNDS,
                    CHURN, suspends.get(ROUNDS / 2), suspends.get(ROUNDS - 1), resumes.get(ROUNDS / 2),
                    resumes.get(ROUNDS - 1), messages.get() - m0, cpu);
        }
    }

    /** Posts the action with the token; returns ms until every client's set holds all of the group's ids. */
    private static double act(HttpClient http, Api api, String action, List<Set<Integer>> sets) throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<String> r = http.send(api.request("api/v1/actions/" + action)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"group\":\"Churn\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(action + " answered " + r.statusCode() + ": " + r.body());
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && sets.stream().anyMatch(s -> s.size() < CHURN)) {
            Thread.sleep(5);
        }
        return (System.nanoTime() - t0) / 1e6;
    }

}
