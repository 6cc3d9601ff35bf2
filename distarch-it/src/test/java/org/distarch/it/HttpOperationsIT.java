package org.distarch.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real master's operations, history and metrics over its HTTP API, with real processes: the CLI's start, stop
 * TARGET, restart, signal and history steer and read it with --url; every action lands in the history with who
 * asked through http; /metrics is Prometheus text with the history writer's figures.
 */
@ExtendWith(NoStrayProcesses.class)
class HttpOperationsIT {

    private static final Duration LIMIT = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String YAML = "distributed_architecture:\n  groups:\n"
            + "    A:\n      command: test:scripted\n      stop_timeout: 2\n"
            + "      params: {script: [\"work 600\"]}\n      local: {instances_count: 2}\n";

    @TempDir
    Path dir;

    @Test
    void operationsHistoryAndMetricsOverHttp() throws Exception {
        Path pid = dir.resolve("var/log/distributed_architecture.pid");
        try (MasterRun run = MasterRun.start(dir, YAML)) {
            run.awaitLine(l -> l.contains("HTTP API at http://127.0.0.1:"), LIMIT);
            String url = Files.readString(pid.resolveSibling("distributed_architecture.admin-url")).trim();
            String token = Files.readString(pid.resolveSibling("distributed_architecture.admin-token")).trim();
            Map<String, String> env = Map.of("DISTARCH_TOKEN", token);
            HttpClient http = HttpClient.newHttpClient();
            awaitProcesses(http, url, token, p -> p.path("total").asInt() == 2, "2 running", "state=RUNNING");

            Cli stop = Cli.run(dir, env, "stop", "A/2", "--url", url);
            assertThat(stop.exit()).as(stop.err()).isZero();
            assertThat(stop.out()).contains("held until start");
            awaitProcesses(http, url, token, p -> p.path("items").get(0).path("held").asText()
                    .equals("stopped by operator") && p.path("items").get(0).path("state").asText().equals("STOPPED"),
                    "A/2 held", "group=A&sort=groupId&offset=1&limit=1");
            Cli nothing = Cli.run(dir, env, "start", "B", "--url", url);
            assertThat(nothing.exit()).isEqualTo(1);
            assertThat(nothing.err()).contains("No group named \"B\"");
            Cli start = Cli.run(dir, env, "start", "A/2", "--url", url);
            assertThat(start.exit()).as(start.err()).isZero();
            awaitProcesses(http, url, token, p -> p.path("total").asInt() == 2, "2 running again", "state=RUNNING");
            Cli signal = Cli.run(dir, env, "signal", "CONT", "A", "--url", url);
            assertThat(signal.exit()).as(signal.err()).isZero();
            assertThat(signal.out()).contains("SIGCONT");
            Cli restart = Cli.run(dir, env, "restart", "1", "--url", url);
            assertThat(restart.exit()).as(restart.err()).isZero();

            // The writer batches on its own thread: the last action shows up soon, not at once.
            Cli history = awaitHistory(dir, env, url, "restart process 1: done");
            assertThat(history.out()).contains("access-token via http 127.0.0.1")
                    .contains("stop process A/2: done").contains("start process A/2: done")
                    .contains("start group \"B\": refused").contains("signal CONT group \"A\": done");
            Cli local = Cli.run(dir, "history", "--kind", "action", "--pid", pid.toString());
            assertThat(local.exit()).as(local.err()).isZero();
            assertThat(local.out().lines().filter(l -> l.contains(" action ")).count())
                    .isEqualTo(history.out().lines().filter(l -> l.contains(" action ")).count());
            Cli processHistory = Cli.run(dir, env, "history", "2", "--json", "--url", url);
            assertThat(processHistory.exit()).as(processHistory.err()).isZero();
            JsonNode json = JSON.readTree(processHistory.out());
            assertThat(json.path("processes")).hasSize(1);
            assertThat(json.path("entries").findValuesAsText("to")).contains("STOPPED", "RUNNING");
            Cli noToken = Cli.run(dir, "history", "--url", url);
            assertThat(noToken.exit()).isEqualTo(1);
            assertThat(noToken.err()).contains("answered 401").contains("set DISTARCH_TOKEN");

            HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(url + "metrics"))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain; version=0.0.4");
            assertThat(metrics.body()).contains("distarch_processes{group=\"A\",state=\"running\"}")
                    .containsPattern("(?m)^distarch_history_queue_depth \\d").contains("distarch_history_dropped_total");
            assertThat(http.send(HttpRequest.newBuilder(URI.create(url + "metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);

            Cli stopMaster = Cli.run(dir, env, "stop", "--url", url);
            assertThat(stopMaster.exit()).as(stopMaster.err()).isZero();
            assertThat(run.awaitExit(LIMIT)).isZero();
        }
    }

    @Test
    void aHistoryPasswordVariableThatIsNotSetStopsTheStart() throws Exception {
        String yaml = YAML + "  admin:\n    history:\n      url: jdbc:postgresql://127.0.0.1:1/distarch\n"
                + "      password_env: DISTARCH_IT_UNSET_HISTORY_PASSWORD\n";
        try (MasterRun run = MasterRun.start(dir, yaml)) {
            assertThat(run.awaitExit(LIMIT)).isEqualTo(2);
            assertThat(String.join("\n", run.errorLines())).contains("admin.history.password_env")
                    .contains("DISTARCH_IT_UNSET_HISTORY_PASSWORD is not set");
        }
    }

    private static Cli awaitHistory(Path dir, Map<String, String> env, String url, String text) throws Exception {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        Cli history;
        do {
            history = Cli.run(dir, env, "history", "--kind", "action", "--url", url);
            assertThat(history.exit()).as(history.err()).isZero();
            if (history.out().contains(text)) {
                return history;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("no \"" + text + "\" in the history within " + LIMIT + ":\n" + history.out());
    }

    private static void awaitProcesses(HttpClient http, String url, String token, Predicate<JsonNode> ok,
            String what, String query) throws Exception {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        JsonNode page = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "api/v1/processes?" + query))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            page = JSON.readTree(r.body());
            if (ok.test(page)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("not " + what + " within " + LIMIT + ": " + page);
    }
}
