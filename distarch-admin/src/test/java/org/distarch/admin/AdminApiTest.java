package org.distarch.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.distarch.admin.audit.AuditEntry;
import org.distarch.config.AdminConfig;
import org.distarch.config.AdminRole;
import org.distarch.config.AdminToken;
import org.distarch.config.HistoryConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every endpoint through a real HTTP client against a real master, with its errors as a client sees them. */
class AdminApiTest {

    static final String VIEWER = "viewer-token-0123456789";
    static final String OPERATOR = "operator-token-0123456789";
    static final Map<String, String> ENV = Map.of("VIEW_TOKEN", VIEWER, "OP_TOKEN", OPERATOR);
    static final AdminConfig ADMIN = new AdminConfig("127.0.0.1", 0, null, Map.of(),
            List.of(new AdminToken("dashboard", AdminRole.VIEWER, "VIEW_TOKEN"),
                    new AdminToken("ci", AdminRole.OPERATOR, "OP_TOKEN")), HistoryConfig.DEFAULT);

    @TempDir
    Path dir;
    TestFleet fleet;
    Http http;

    @BeforeEach
    void start() throws Exception {
        fleet = new TestFleet(dir, ADMIN, ENV);
        http = new Http(fleet.url());
    }

    @AfterEach
    void stop() throws Exception {
        fleet.close();
    }

    Http admin() {
        return http.token(fleet.server.accessToken());
    }

    @Test
    void everyReadNeedsCredentials() throws Exception {
        for (String path : List.of("/api/v1/status", "/api/v1/master", "/api/v1/groups", "/api/v1/hosts",
                "/api/v1/processes", "/api/v1/processes/1", "/api/v1/session", "/api/v1/events")) {
            Http.Answer answer = http.get(path);
            assertThat(answer.status()).as(path).isEqualTo(401);
            assertThat(answer.error()).as(path).contains("log in first");
            assertThat(answer.header("WWW-Authenticate")).as(path).containsExactly("Bearer realm=\"distarch\"");
        }
        assertThat(http.token("not-a-token").get("/api/v1/processes").status()).isEqualTo(401);
        assertThat(http.with("Authorization", "Basic YTpi").get("/api/v1/processes").error())
                .contains("only Bearer tokens");
    }

    @Test
    void theOpenApiDocumentNeedsNone() throws Exception {
        Http.Answer answer = http.get("/api/v1/openapi.json");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().path("openapi").asText()).startsWith("3.");
    }

    @Test
    void processesAreFilteredSortedAndPagedOnTheServer() throws Exception {
        Http viewer = http.token(VIEWER);
        JsonNode all = viewer.get("/api/v1/processes").json();
        assertThat(all.path("total").asInt()).isEqualTo(5);
        JsonNode first = all.path("items").get(0);
        assertThat(first.path("id").asInt()).isEqualTo(1);
        assertThat(first.path("group").asText()).isEqualTo("A");
        assertThat(first.path("groupId").asInt()).isEqualTo(1);
        assertThat(first.path("command").asText()).isEqualTo("run:helloA");
        assertThat(first.path("state").asText()).isEqualTo("RUNNING");
        assertThat(first.path("pid").asLong()).isPositive();
        assertThat(first.has("stateReason")).isTrue();
        assertThat(first.has("crashes") && first.has("timeouts") && first.has("lastExit")).isTrue();
        TestFleet.waitUntil(() -> {
            try {
                return viewer.get("/api/v1/processes?q=HELLOB").json().path("total").asInt() == 3;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });

        assertThat(ids(viewer.get("/api/v1/processes?group=B&sort=-id"))).containsExactly(5, 4, 3);
        assertThat(ids(viewer.get("/api/v1/processes?sort=-group,id&limit=2&offset=1"))).containsExactly(4, 5);
        assertThat(viewer.get("/api/v1/processes?state=RUNNING,STOPPED&host=localhost").json().path("total").asInt())
                .isEqualTo(5);
        assertThat(viewer.get("/api/v1/processes?state=FAILED&state=BACKOFF").json().path("total").asInt()).isZero();
        assertThat(viewer.get("/api/v1/processes?command=helloa").json().path("total").asInt()).isEqualTo(2);

        assertThat(viewer.get("/api/v1/processes?sort=colour").error()).startsWith("cannot sort by \"colour\"");
        assertThat(viewer.get("/api/v1/processes?limit=5000").error()).isEqualTo("limit must be between 1 and 1000 (got 5000)");
        assertThat(viewer.get("/api/v1/processes?offset=x").error()).isEqualTo("offset must be a whole number (got \"x\")");
        assertThat(viewer.get("/api/v1/processes?grup=A").status()).isEqualTo(400);
        assertThat(viewer.get("/api/v1/processes?grup=A").error()).startsWith("unknown parameter \"grup\"");
    }

    private static List<Integer> ids(Http.Answer answer) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        List<Integer> ids = new ArrayList<>();
        answer.json().path("items").forEach(item -> ids.add(item.path("id").asInt()));
        return ids;
    }

    @Test
    void oneProcessGroupsHostsAndTheMaster() throws Exception {
        Http viewer = http.token(VIEWER);
        assertThat(viewer.get("/api/v1/processes/4").json().path("group").asText()).isEqualTo("B");
        Http.Answer unknown = viewer.get("/api/v1/processes/99");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.error()).isEqualTo("no process with id 99; ids are 1 to 5");
        assertThat(viewer.get("/api/v1/processes/abc").error())
                .isEqualTo("a process id is a whole number from 1 (got \"abc\")");

        JsonNode groups = viewer.get("/api/v1/groups").json();
        assertThat(groups.get(0).path("name").asText()).isEqualTo("A");
        assertThat(groups.get(0).path("states").path("RUNNING").asInt()).isEqualTo(2);
        assertThat(groups.get(0).path("health").asText()).isEqualTo("healthy");
        assertThat(groups.get(1).path("processes").asInt()).isEqualTo(3);

        JsonNode hosts = viewer.get("/api/v1/hosts").json();
        assertThat(hosts.get(0).path("name").asText()).isEqualTo("localhost");
        assertThat(hosts.get(0).path("processes").asInt()).isEqualTo(5);

        JsonNode master = viewer.get("/api/v1/master").json();
        assertThat(master.path("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
        assertThat(master.path("processes").asInt()).isEqualTo(5);

        JsonNode status = viewer.get("/api/v1/status").json();
        assertThat(status.path("processes").size()).isEqualTo(5);
        assertThat(viewer.get("/api/v1/session").json().path("user").asText()).isEqualTo("dashboard");
        assertThat(viewer.get("/api/v1/nothing").status()).isEqualTo(404);
        Http.Answer wrongMethod = viewer.post("/api/v1/processes", "{}");
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.header("Allow")).containsExactly("GET");
    }

    @Test
    void aViewerMayNotActAndAnOperatorMayNotStopTheMaster() throws Exception {
        Http.Answer viewer = http.token(VIEWER).post("/api/v1/actions/suspend", "{\"group\":\"A\"}");
        assertThat(viewer.status()).isEqualTo(403);
        assertThat(viewer.error()).isEqualTo("dashboard is a viewer; POST /api/v1/actions/suspend needs the operator role");
        Http.Answer operator = http.token(OPERATOR).post("/api/v1/master/stop", "{}");
        assertThat(operator.status()).isEqualTo(403);
        assertThat(operator.error()).isEqualTo("ci is an operator; POST /api/v1/master/stop needs the admin role");
        assertThat(http.token(OPERATOR).post("/api/v1/reload/plan", "{}").status()).isEqualTo(403);
        assertThat(fleet.master.status().get().suspendedGroups()).isEmpty();
    }

    @Test
    void suspendAndResumeAnswerTheControlPlanesResultAndAreAudited() throws Exception {
        Http operator = http.token(OPERATOR);
        Http.Answer suspended = operator.post("/api/v1/actions/suspend", "{\"group\":\"A\",\"force\":false}");
        assertThat(suspended.status()).as(suspended.body()).isEqualTo(200);
        assertThat(suspended.json().path("ok").asBoolean()).isTrue();
        assertThat(suspended.json().path("message").asText()).isEqualTo("Suspended group \"A\": 2 processes asked to stop");
        TestFleet.waitUntil(() -> statesOf("A").stream().allMatch("STOPPED"::equals));
        JsonNode groups = operator.get("/api/v1/groups").json();
        assertThat(groups.get(0).path("health").asText()).isEqualTo("suspended");

        Http.Answer unknown = operator.post("/api/v1/actions/suspend", "{\"group\":\"Z\"}");
        assertThat(unknown.status()).isEqualTo(409);
        assertThat(unknown.json().path("message").asText()).isEqualTo("No group named \"Z\"; groups: A, B");

        Http.Answer resumed = operator.post("/api/v1/actions/resume", "{}");
        assertThat(resumed.json().path("message").asText()).isEqualTo("Resumed all groups: 2 processes started");
        TestFleet.waitUntil(() -> statesOf("A").stream().allMatch("RUNNING"::equals));

        assertThat(fleet.audit).extracting(AuditEntry::describe).containsExactly(
                "Admin API: ci (operator) from 127.0.0.1: suspend group \"A\": done: Suspended group \"A\": 2 processes asked to stop",
                "Admin API: ci (operator) from 127.0.0.1: suspend group \"Z\": refused: No group named \"Z\"; groups: A, B",
                "Admin API: ci (operator) from 127.0.0.1: resume all groups: done: Resumed all groups: 2 processes started");
    }

    private List<String> statesOf(String group) {
        try {
            return fleet.master.status().get().processes().stream().filter(p -> p.group().equals(group))
                    .map(p -> p.state()).toList();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void badBodiesAre400sWithTheReasonAndDoNothing() throws Exception {
        Http operator = http.token(OPERATOR);
        assertThat(operator.post("/api/v1/actions/suspend", "{\"group\":").error()).startsWith("malformed JSON");
        assertThat(operator.post("/api/v1/actions/suspend", "{\"group\":\"A\",\"forse\":true}").error())
                .isEqualTo("unknown field \"forse\"; known: force, group, persist");
        assertThat(operator.post("/api/v1/actions/suspend", "{\"force\":\"yes\"}").status()).isEqualTo(400);
        assertThat(operator.post("/api/v1/actions/suspend", "{\"group\":\"A\",\"group\":\"B\"}").error())
                .contains("Duplicate field 'group'");
        assertThat(operator.post("/api/v1/actions/suspend", "[1]").error()).isEqualTo("the body must be a JSON object");
        assertThat(operator.post("/api/v1/actions/suspend", "{} {}").status()).isEqualTo(400);
        Http.Answer big = operator.post("/api/v1/actions/suspend", "{\"group\":\"" + "x".repeat(70_000) + "\"}");
        assertThat(big.status()).isEqualTo(413);
        assertThat(big.error()).startsWith("the body is 70012 bytes; at most 65536 are accepted");
        assertThat(fleet.master.status().get().suspendedGroups()).isEmpty();
        assertThat(fleet.audit).isEmpty();
    }

    @Test
    void aForeignOriginIsRefusedBeforeAnythingElse() throws Exception {
        Http.Answer foreign = http.token(OPERATOR).with("Origin", "https://evil.example")
                .post("/api/v1/actions/suspend", "{}");
        assertThat(foreign.status()).isEqualTo(403);
        assertThat(foreign.error()).startsWith("cross-origin request refused: Origin https://evil.example is not http://127.0.0.1:");
        Http.Answer own = http.token(OPERATOR).with("Origin", fleet.url().substring(0, fleet.url().length() - 1))
                .post("/api/v1/actions/resume", "{\"group\":\"B\"}");
        assertThat(own.status()).as(own.body()).isEqualTo(200);
        assertThat(fleet.master.status().get().suspendedGroups()).isEmpty();
    }

    @Test
    void reloadIsAPlanThenItsApplyAndAChangedFileIsRefused() throws Exception {
        Http admin = admin();
        Files.writeString(fleet.configFile, TestFleet.YAML.replace("instances_count: 3", "instances_count: 4"));
        Http.Answer plan = admin.post("/api/v1/reload/plan", "");
        assertThat(plan.status()).as(plan.body()).isEqualTo(200);
        String planId = plan.json().path("planId").asText();
        assertThat(plan.json().path("message").asText()).contains("would make 1 change");
        assertThat(fleet.launcher.started).hasSize(5);

        Files.writeString(fleet.configFile, TestFleet.YAML.replace("instances_count: 3", "instances_count: 6"));
        Http.Answer stale = admin.post("/api/v1/reload/apply", "{\"planId\":\"" + planId + "\"}");
        assertThat(stale.status()).isEqualTo(409);
        assertThat(stale.error()).isEqualTo("the configuration file changed since plan \"" + planId
                + "\" was made; nothing was done: make a new plan");
        assertThat(fleet.launcher.started).hasSize(5);

        String second = admin.post("/api/v1/reload/plan", "{}").json().path("planId").asText();
        Http.Answer applied = admin.post("/api/v1/reload/apply", "{\"planId\":\"" + second + "\"}");
        assertThat(applied.status()).as(applied.body()).isEqualTo(200);
        assertThat(applied.json().path("message").asText()).contains("Reloaded").contains("3 changes");
        TestFleet.waitUntil(() -> fleet.launcher.started.size() == 8);
        assertThat(admin.post("/api/v1/reload/apply", "{\"planId\":\"" + second + "\"}").status()).isEqualTo(409);
        assertThat(admin.post("/api/v1/reload/apply", "{}").error()).startsWith("planId is required");
    }

    @Test
    void anAdminStopsTheMaster() throws Exception {
        Http.Answer stop = admin().post("/api/v1/master/stop", "{}");
        assertThat(stop.status()).as(stop.body()).isEqualTo(200);
        assertThat(stop.json().path("message").asText()).startsWith("Stopping the master");
        assertThat(fleet.run.get(30, java.util.concurrent.TimeUnit.SECONDS)).isZero();
        assertThat(fleet.audit.get(0).who()).isEqualTo("access-token");
        assertThat(fleet.audit.get(0).action()).isEqualTo("stop");
    }

    @Test
    void theTokenLoginUrlGivesABrowserASessionWhosePostsNeedTheCsrfToken() throws Exception {
        Http.Answer wrong = http.get("/login?token=nope");
        assertThat(wrong.status()).isEqualTo(401);
        Http.Answer login = http.get("/login?token=" + fleet.server.accessToken());
        assertThat(login.status()).isEqualTo(303);
        assertThat(login.header("Location")).containsExactly("/");
        String cookie = login.header("Set-Cookie").get(0);
        assertThat(cookie).startsWith("distarch_session=").contains("HttpOnly").contains("SameSite=Strict")
                .doesNotContain("Secure");
        Http browser = http.with("Cookie", cookie.substring(0, cookie.indexOf(';')));
        JsonNode session = browser.get("/api/v1/session").json();
        assertThat(session.path("role").asText()).isEqualTo("admin");
        String csrf = session.path("csrfToken").asText();
        assertThat(csrf).hasSizeGreaterThan(20);

        Http.Answer noCsrf = browser.post("/api/v1/actions/suspend", "{\"group\":\"B\"}");
        assertThat(noCsrf.status()).isEqualTo(403);
        assertThat(noCsrf.error()).startsWith("missing or wrong X-CSRF-Token header");
        assertThat(browser.with("X-CSRF-Token", "forged").post("/api/v1/actions/suspend", "{}").status()).isEqualTo(403);
        assertThat(fleet.master.status().get().suspendedGroups()).isEmpty();
        Http.Answer withCsrf = browser.with("X-CSRF-Token", csrf).post("/api/v1/actions/suspend", "{\"group\":\"B\"}");
        assertThat(withCsrf.status()).as(withCsrf.body()).isEqualTo(200);

        assertThat(browser.with("X-CSRF-Token", csrf).post("/api/v1/logout", "{}").status()).isEqualTo(200);
        assertThat(browser.get("/api/v1/session").status()).isEqualTo(401);
    }

    @Test
    void theLoginPagePostsTheAccessTokenForASessionAndAWrongOneIsRefused() throws Exception {
        Http.Answer wrong = http.post("/api/v1/login", "{\"token\":\"nope\"}");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.error()).isEqualTo("wrong token, or one from an earlier run of the master");
        Http.Answer mixed = http.post("/api/v1/login", "{\"user\":\"x\",\"token\":\"" + fleet.server.accessToken() + "\"}");
        assertThat(mixed.status()).isEqualTo(400);

        Http.Answer login = http.post("/api/v1/login", "{\"token\":\" " + fleet.server.accessToken() + "\\n\"}");
        assertThat(login.status()).as(login.body()).isEqualTo(200);
        assertThat(login.json().path("role").asText()).isEqualTo("admin");
        assertThat(login.json().path("user").asText()).isEqualTo("access-token");
        String cookie = login.header("Set-Cookie").get(0);
        Http browser = http.with("Cookie", cookie.substring(0, cookie.indexOf(';')));
        JsonNode session = browser.get("/api/v1/session").json();
        assertThat(session.path("csrfToken").asText()).isEqualTo(login.json().path("csrfToken").asText());
        assertThat(fleet.audit).anySatisfy(e -> assertThat(e.describe()).contains("access-token", "login"));
    }

    @Test
    void staticFilesAreServedWithoutLeavingTheirFolder() throws Exception {
        Http.Answer index = http.get("/");
        assertThat(index.status()).isEqualTo(200);
        assertThat(index.body()).contains("distarch");
        for (String path : List.of("/../api/openapi.json", "/%2e%2e/api/openapi.json", "/..%2fapi%2fopenapi.json",
                "/static/../../org/distarch/admin/AdminServer.class", "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
                "/..;/..;/etc/passwd", "/index.html/../../AdminServer.class")) {
            Http.Answer answer = http.send(http.request(path).GET());
            assertThat(answer.status()).as(path).isIn(400, 404);
            assertThat(answer.body()).as(path).doesNotContain("\"paths\"").doesNotContain("root:x:0");
        }
    }
}
