package org.distarch.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.distarch.control.ProcessStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The processes' output through a real HTTP client against a real master (its output pipeline and buffers):
 * per process, per group and fleet-wide, resumed after a sequence number, filtered by stream, level and text;
 * unknown names are 404s; a viewer may read, nobody unauthenticated; the live stream sees new lines arrive and
 * resumes with Last-Event-ID.
 */
class LogsApiTest {

    @TempDir
    Path dir;
    TestFleet fleet;
    Http viewer;

    @BeforeEach
    void start() throws Exception {
        fleet = new TestFleet(dir, AdminApiTest.ADMIN, AdminApiTest.ENV);
        viewer = new Http(fleet.url()).token(AdminApiTest.VIEWER);
    }

    @AfterEach
    void stop() throws Exception {
        fleet.close();
    }

    private int id(String group, int groupId) throws Exception {
        List<ProcessStatus> all = fleet.master.status().get().processes();
        return all.stream().filter(p -> p.group().equals(group) && p.groupId() == groupId).findFirst().orElseThrow()
                .id();
    }

    private static List<String> texts(JsonNode answer) {
        List<String> texts = new ArrayList<>();
        answer.path("lines").forEach(l -> texts.add(l.path("text").asText()));
        return texts;
    }

    @Test
    void aProcessesLinesWithTheirFieldsAndResumeAfterASequenceNumber() throws Exception {
        int id = id("B", 2);
        TestFleet.waitUntil(() -> {
            try {
                return texts(viewer.get("/api/v1/processes/" + id + "/logs").json()).contains("helloB");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        fleet.launcher.started.get(3).printErr("trouble one");
        Http.Answer answer = viewer.get("/api/v1/processes/" + id + "/logs?lines=1000");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode lines = answer.json().path("lines");
        // the master's start marker first, then what the process said
        assertThat(lines.get(0).path("stream").asText()).isEqualTo("master");
        JsonNode hello = lines.get(1);
        assertThat(hello.path("text").asText()).isEqualTo("helloB");
        assertThat(hello.path("stream").asText()).isEqualTo("stdout");
        assertThat(hello.path("level").asText()).isEqualTo("INFO");
        assertThat(hello.path("id").asInt()).isEqualTo(id);
        assertThat(hello.path("group").asText()).isEqualTo("B");
        assertThat(hello.path("groupId").asInt()).isEqualTo(2);
        assertThat(hello.path("host").asText()).isEqualTo("localhost");
        assertThat(hello.path("time").asLong()).isPositive();
        long seq = hello.path("seq").asLong();
        assertThat(seq).isGreaterThan(lines.get(0).path("seq").asLong());

        fleet.launcher.started.get(3).print("after one");
        TestFleet.waitUntil(() -> {
            try {
                return texts(viewer.get("/api/v1/processes/" + id + "/logs?after=" + seq).json()).contains("after one");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        JsonNode after = viewer.get("/api/v1/processes/" + id + "/logs?after=" + seq).json();
        assertThat(texts(after)).doesNotContain("helloB").containsSubsequence("trouble one", "after one");
        assertThat(after.path("lastSeq").asLong()).isGreaterThan(seq);
        assertThat(texts(viewer.get("/api/v1/processes/" + id + "/logs?lines=1").json())).containsExactly("after one");
        assertThat(texts(viewer.get("/api/v1/processes/" + id + "/logs?stream=stderr").json()))
                .containsExactly("trouble one");
        assertThat(texts(viewer.get("/api/v1/processes/" + id + "/logs?level=warn").json()))
                .containsExactly("trouble one");
        assertThat(texts(viewer.get("/api/v1/processes/" + id + "/logs?q=AFTER").json())).containsExactly("after one");
    }

    @Test
    void groupAndFleetWideLinesInOrder() throws Exception {
        TestFleet.waitUntil(() -> {
            try {
                return texts(viewer.get("/api/v1/logs?stream=stdout").json()).size() == 5;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        JsonNode all = viewer.get("/api/v1/logs?stream=stdout").json();
        assertThat(texts(all)).containsExactlyInAnyOrder("helloA", "helloA", "helloB", "helloB", "helloB");
        List<Long> seqs = all.path("lines").findValuesAsText("seq").stream().map(Long::parseLong).toList();
        assertThat(seqs).isSorted();
        JsonNode a = viewer.get("/api/v1/logs?group=A&stream=stdout").json();
        assertThat(texts(a)).containsExactly("helloA", "helloA");
        assertThat(a.path("lines").findValuesAsText("group")).containsOnly("A");
        assertThat(texts(viewer.get("/api/v1/logs?process=B/3&stream=stdout").json())).containsExactly("helloB");
    }

    @Test
    void unknownNamesBadParametersAndWhoMayRead() throws Exception {
        Http.Answer unknown = viewer.get("/api/v1/processes/99/logs");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.error()).contains("no process with id 99");
        assertThat(viewer.get("/api/v1/logs?group=Z").status()).isEqualTo(404);
        assertThat(viewer.get("/api/v1/logs?group=Z").error()).isEqualTo("No group named \"Z\"; groups: A, B");
        assertThat(viewer.get("/api/v1/logs?process=A/9").status()).isEqualTo(404);
        assertThat(viewer.get("/api/v1/logs?lines=-1").status()).isEqualTo(400);
        assertThat(viewer.get("/api/v1/logs?level=loud").error()).contains("level must be one of");
        assertThat(viewer.get("/api/v1/logs?stream=stdin").error()).contains("stream must be stdout, stderr or master");
        assertThat(viewer.get("/api/v1/logs?forse=1").error()).contains("unknown parameter \"forse\"");
        assertThat(viewer.get("/api/v1/logs?group=A&process=1").status()).isEqualTo(400);
        assertThat(viewer.get("/api/v1/processes/x/logs").status()).isEqualTo(400);

        Http anonymous = new Http(fleet.url());
        for (String path : List.of("/api/v1/logs", "/api/v1/processes/1/logs", "/api/v1/logs/stream")) {
            Http.Answer answer = anonymous.get(path);
            assertThat(answer.status()).as(path).isEqualTo(401);
            assertThat(answer.header("WWW-Authenticate")).as(path).isNotEmpty();
        }
    }

    @Test
    void theStreamSeesNewLinesArriveAndResumesWithLastEventId() throws Exception {
        int id = id("A", 1);
        String last;
        try (EventsApiTest.Stream stream = new EventsApiTest.Stream(viewer, "/api/v1/logs/stream?group=A&lines=0&q=live",
                null)) {
            fleet.launcher.started.get(0).print("live one");
            fleet.launcher.started.get(2).print("live but in B");
            fleet.launcher.started.get(1).printErr("live two");
            EventsApiTest.Message one = stream.next();
            assertThat(one.event()).isEqualTo("line");
            assertThat(one.data().path("text").asText()).isEqualTo("live one");
            assertThat(one.data().path("id").asInt()).isEqualTo(id);
            assertThat(one.id()).isEqualTo(one.data().path("seq").asText());
            EventsApiTest.Message two = stream.next();
            assertThat(two.data().path("text").asText()).isEqualTo("live two");
            assertThat(two.data().path("stream").asText()).isEqualTo("stderr");
            last = one.id();
        }
        fleet.launcher.started.get(0).print("live three");
        try (EventsApiTest.Stream resumed = new EventsApiTest.Stream(viewer, "/api/v1/logs/stream?group=A&q=live",
                last)) {
            assertThat(resumed.next().data().path("text").asText()).isEqualTo("live two");
            assertThat(resumed.next().data().path("text").asText()).isEqualTo("live three");
        }
    }
}
