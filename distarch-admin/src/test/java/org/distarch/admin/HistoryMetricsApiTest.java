package org.distarch.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The history and the metrics through a real HTTP client against a real master whose real history writer
 * (SQLite) and metrics the API serves: entries by process, run and kind, paged; the runs; every API action in
 * the history; /metrics in the Prometheus text with the writer's queue; errors as a client sees them.
 */
class HistoryMetricsApiTest {

    @TempDir
    Path dir;
    TestFleet fleet;
    Http viewer;
    Http operator;

    @BeforeEach
    void start() throws Exception {
        fleet = new TestFleet(dir, AdminApiTest.ADMIN, AdminApiTest.ENV, "127.0.0.1", true);
        viewer = new Http(fleet.url()).token(AdminApiTest.VIEWER);
        operator = new Http(fleet.url()).token(AdminApiTest.OPERATOR);
        TestFleet.waitUntil(() -> fleet.history.runId() > 0);
    }

    @AfterEach
    void stop() throws Exception {
        fleet.close();
    }

    @Test
    void aProcessesHistoryIsItsTransitionsInThisRunNewestFirst() throws Exception {
        JsonNode[] page = new JsonNode[1];
        TestFleet.waitUntil(() -> {
            page[0] = get(viewer, "/api/v1/processes/1/history");
            return page[0].path("entries").findValuesAsText("to").contains("RUNNING");
        });
        JsonNode entries = page[0].path("entries");
        for (JsonNode e : entries) {
            assertThat(e.path("processId").asInt()).isEqualTo(1);
            assertThat(e.path("run").asLong()).isEqualTo(fleet.history.runId());
            assertThat(e.path("kind").asText()).isIn("transition", "exit");
        }
        assertThat(entries.get(0).path("time").asLong()).isGreaterThanOrEqualTo(
                entries.get(entries.size() - 1).path("time").asLong());
    }

    @Test
    void everyApiActionIsInTheHistoryWithWhoAndHow() throws Exception {
        assertThat(operator.post("/api/v1/actions/suspend", "{\"group\":\"A\"}").status()).isEqualTo(200);
        assertThat(operator.post("/api/v1/actions/stop", "{\"target\":\"Z\"}").status()).isEqualTo(409);
        JsonNode[] actions = new JsonNode[1];
        TestFleet.waitUntil(() -> {
            actions[0] = get(viewer, "/api/v1/history?kind=action&run=current").path("entries");
            return actions[0].size() == 2;
        });
        JsonNode refused = actions[0].get(0);
        assertThat(refused.path("who").asText()).isEqualTo("ci");
        assertThat(refused.path("via").asText()).isEqualTo("http 127.0.0.1");
        assertThat(refused.path("action").asText()).isEqualTo("stop");
        assertThat(refused.path("target").asText()).isEqualTo("group \"Z\"");
        assertThat(refused.path("ok").asBoolean()).isFalse();
        assertThat(refused.path("result").asText()).contains("No group named \"Z\"");
        JsonNode done = actions[0].get(1);
        assertThat(done.path("action").asText()).isEqualTo("suspend");
        assertThat(done.path("ok").asBoolean()).isTrue();
        assertThat(done.path("result").asText()).startsWith("Suspended group \"A\"");
    }

    @Test
    void pagesFollowEachOtherByTheirCursorWithoutGapsOrRepeats() throws Exception {
        // Once all five run, the fleet is quiet: no transition comes between the pages.
        TestFleet.waitUntil(() -> get(viewer, "/api/v1/history?kind=transition&limit=1000").path("entries")
                .findValuesAsText("to").stream().filter("RUNNING"::equals).count() == 5);
        List<String> all = new ArrayList<>();
        get(viewer, "/api/v1/history?kind=transition&limit=1000").path("entries")
                .forEach(e -> all.add(e.path("id").asText()));
        List<String> paged = new ArrayList<>();
        String next = null;
        do {
            JsonNode page = get(viewer, "/api/v1/history?kind=transition&limit=3"
                    + (next == null ? "" : "&before=" + java.net.URLEncoder.encode(next, "UTF-8")));
            assertThat(page.path("entries").size()).isLessThanOrEqualTo(3);
            page.path("entries").forEach(e -> paged.add(e.path("id").asText()));
            next = page.path("next").isNull() ? null : page.path("next").asText();
        } while (next != null && paged.size() <= all.size());
        assertThat(all.size()).isGreaterThanOrEqualTo(10);
        assertThat(paged).isEqualTo(all);
    }

    @Test
    void theRunsAndOneRunWithItsProcesses() throws Exception {
        JsonNode runs = get(viewer, "/api/v1/runs");
        long current = fleet.history.runId();
        assertThat(runs.path("current").asLong()).isEqualTo(current);
        assertThat(runs.path("runs").get(0).path("id").asLong()).isEqualTo(current);
        assertThat(runs.path("runs").get(0).path("host").asText()).isEqualTo("test-host");
        TestFleet.waitUntil(() -> get(viewer, "/api/v1/runs/" + current).path("processes").size() == 5);
        JsonNode run = get(viewer, "/api/v1/runs/" + current);
        assertThat(run.path("processes").findValuesAsText("group")).containsExactly("A", "A", "B", "B", "B");
        Http.Answer missing = viewer.get("/api/v1/runs/999");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.error()).contains("no run 999");
    }

    @Test
    void badHistoryParametersAre400sWithTheReason() throws Exception {
        assertThat(viewer.get("/api/v1/history?kind=nope").error()).contains("unknown kind \"nope\"");
        assertThat(viewer.get("/api/v1/history?limit=0").error()).contains("limit must be between 1 and 1000");
        assertThat(viewer.get("/api/v1/history?since=yesterday").error())
                .contains("since must be epoch milliseconds or an age");
        assertThat(viewer.get("/api/v1/history?before=garbage").status()).isEqualTo(400);
        assertThat(viewer.get("/api/v1/history?run=x").error()).contains("a run is a whole number");
        assertThat(viewer.get("/api/v1/history?proces=1").error()).contains("unknown parameter \"proces\"");
        assertThat(viewer.get("/api/v1/processes/1/history?process=2").status()).isEqualTo(400);
        assertThat(new Http(fleet.url()).get("/api/v1/history").status()).isEqualTo(401);
        assertThat(get(viewer, "/api/v1/history?since=1h&group=A&kind=transition,exit").path("entries"))
                .allSatisfy(e -> assertThat(e.path("group").asText()).isEqualTo("A"));
    }

    @Test
    void metricsArePrometheusTextForAViewerOnly() throws Exception {
        Http.Answer anonymous = new Http(fleet.url()).get("/metrics");
        assertThat(anonymous.status()).isEqualTo(401);
        TestFleet.waitUntil(() -> {
            try {
                return viewer.get("/metrics").body().contains("distarch_processes{group=\"B\",state=\"running\"} 3.0");
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        Http.Answer metrics = viewer.get("/metrics");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.header("Content-Type")).singleElement().asString().startsWith("text/plain; version=0.0.4");
        assertThat(metrics.body()).contains("distarch_processes{group=\"B\",state=\"running\"} 3.0")
                .containsPattern("(?m)^distarch_history_queue_depth \\d").contains("distarch_history_dropped_total 0.0")
                .contains("jvm_memory_used_bytes");
        assertThat(viewer.get("/metrics?x=1").status()).isEqualTo(400);
        assertThat(viewer.post("/metrics", "{}").status()).isEqualTo(405);
        JsonNode queues = get(viewer, "/api/v1/queues");
        assertThat(queues.path("queues").isArray()).isTrue();
        assertThat(queues.path("queues")).isEmpty();
    }

    @Test
    void aMasterWithoutHistoryOrMetricsSaysSo() throws Exception {
        try (TestFleet plain = new TestFleet(java.nio.file.Files.createDirectories(dir.resolve("plain")), AdminApiTest.ADMIN, AdminApiTest.ENV)) {
            Http http = new Http(plain.url()).token(AdminApiTest.VIEWER);
            assertThat(http.get("/api/v1/history").status()).isEqualTo(503);
            assertThat(http.get("/api/v1/history").error()).isEqualTo("this master keeps no history");
            assertThat(http.get("/metrics").error()).isEqualTo("this master keeps no metrics");
        }
    }

    private static JsonNode get(Http http, String path) {
        try {
            Http.Answer answer = http.get(path);
            assertThat(answer.status()).as(path + ": " + answer.body()).isEqualTo(200);
            return answer.json();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
