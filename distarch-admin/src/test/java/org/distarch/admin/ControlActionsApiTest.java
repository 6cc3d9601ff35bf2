package org.distarch.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.distarch.admin.audit.AuditEntry;
import org.distarch.control.ProcessStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operations on chosen processes through a real HTTP client against a real master: start, stop (held),
 * restart, signal, rolling restart, suspend with persist; each answers the control plane's result, is refused
 * to a viewer, and is audited; bad targets are 400s that do nothing.
 */
class ControlActionsApiTest {

    @TempDir
    Path dir;
    TestFleet fleet;
    Http operator;
    Http viewer;

    @BeforeEach
    void start() throws Exception {
        fleet = new TestFleet(dir, AdminApiTest.ADMIN, AdminApiTest.ENV);
        operator = new Http(fleet.url()).token(AdminApiTest.OPERATOR);
        viewer = new Http(fleet.url()).token(AdminApiTest.VIEWER);
    }

    @AfterEach
    void stop() throws Exception {
        fleet.close();
    }

    @Test
    void aViewerMayNotSteerProcesses() throws Exception {
        for (String path : List.of("start", "stop", "restart", "signal", "rolling-restart")) {
            Http.Answer answer = viewer.post("/api/v1/actions/" + path, "{\"all\":true}");
            assertThat(answer.status()).as(path).isEqualTo(403);
            assertThat(answer.error()).as(path).contains("needs the operator role");
        }
        assertThat(fleet.audit).isEmpty();
        assertThat(fleet.launcher.started).hasSize(5);
    }

    @Test
    void reopeningTheLogFilesIsAnOperatorsAuditedAction() throws Exception {
        Http.Answer refused = viewer.post("/api/v1/logs/reopen", "{}");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(fleet.reopens).hasValue(0);
        Http.Answer done = operator.post("/api/v1/logs/reopen", "");
        assertThat(done.status()).as(done.body()).isEqualTo(200);
        assertThat(done.json().path("message").asText()).isEqualTo("Reopening the log files");
        assertThat(fleet.reopens).hasValue(1);
        assertThat(operator.post("/api/v1/logs/reopen", "{\"all\":true}").status()).as("an unknown field")
                .isEqualTo(400);
        assertThat(fleet.reopens).hasValue(1);
        assertThat(fleet.audit).singleElement().satisfies(e -> {
            assertThat(e.action()).isEqualTo("logs --reopen");
            assertThat(e.ok()).isTrue();
        });
    }

    @Test
    void stopHoldsAProcessUntilStartAndBothAreAudited() throws Exception {
        Http.Answer stopped = operator.post("/api/v1/actions/stop", "{\"target\":\"B/2\"}");
        assertThat(stopped.status()).as(stopped.body()).isEqualTo(200);
        assertThat(stopped.json().path("message").asText()).contains("held until start");
        TestFleet.waitUntil(() -> "STOPPED".equals(process("B", 2).state()));
        assertThat(process("B", 2).held()).isEqualTo("stopped by operator");
        JsonNode row = operator.get("/api/v1/processes?group=B&sort=groupId&offset=1&limit=1").json().path("items").get(0);
        assertThat(row.path("held").asText()).isEqualTo("stopped by operator");
        assertThat(operator.get("/api/v1/processes/" + row.path("id").asInt()).json().path("held").asText())
                .isEqualTo("stopped by operator");

        Http.Answer started = operator.post("/api/v1/actions/start", "{\"target\":\"B/2\"}");
        assertThat(started.status()).as(started.body()).isEqualTo(200);
        TestFleet.waitUntil(() -> "RUNNING".equals(process("B", 2).state()) && process("B", 2).held() == null);

        assertThat(fleet.audit).extracting(AuditEntry::action, AuditEntry::target, AuditEntry::ok)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("stop", "process B/2", true),
                        org.assertj.core.groups.Tuple.tuple("start", "process B/2", true));
        assertThat(fleet.audit.get(0).who()).isEqualTo("ci");
    }

    @Test
    void aTargetThatNamesNothingIsRefusedWithWhatExists() throws Exception {
        Http.Answer answer = operator.post("/api/v1/actions/restart", "{\"target\":\"Z\"}");
        assertThat(answer.status()).isEqualTo(409);
        assertThat(answer.json().path("ok").asBoolean()).isFalse();
        assertThat(answer.json().path("message").asText()).contains("No group named \"Z\"").contains("A, B");
        assertThat(fleet.audit).singleElement().extracting(AuditEntry::ok).isEqualTo(false);
    }

    @Test
    void badTargetsAndBodiesAre400sThatDoNothing() throws Exception {
        assertThat(operator.post("/api/v1/actions/stop", "{}").error()).contains("name the processes");
        assertThat(operator.post("/api/v1/actions/stop", "{\"all\":true,\"target\":\"A\"}").error())
                .contains("names every process");
        assertThat(operator.post("/api/v1/actions/stop", "{\"target\":\"3\",\"host\":\"h1\"}").error())
                .contains("a process id names one process already");
        assertThat(operator.post("/api/v1/actions/stop", "{\"target\":\"A/0\"}").error()).contains("bad target");
        assertThat(operator.post("/api/v1/actions/stop", "{\"all\":true,\"forse\":true}").error())
                .isEqualTo("unknown field \"forse\"; known: all, force, host, persist, target");
        assertThat(operator.post("/api/v1/actions/signal", "{\"all\":true}").error()).contains("signal is required");
        assertThat(operator.post("/api/v1/actions/rolling-restart", "{\"batch\":1}").error())
                .contains("group is required");
        assertThat(operator.post("/api/v1/actions/rolling-restart", "{\"group\":\"A\",\"batch\":0}").error())
                .contains("batch is at least 1");
        assertThat(fleet.audit).isEmpty();
        assertThat(fleet.launcher.started).hasSize(5);
    }

    @Test
    void signalReachesTheGroupsRunningProcesses() throws Exception {
        Http.Answer answer = operator.post("/api/v1/actions/signal", "{\"target\":\"A\",\"signal\":\"USR1\"}");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json().path("details")).hasSize(2);
        TestFleet.waitUntil(() -> fleet.launcher.started.stream().filter(p -> p.signals.contains("SIGUSR1")
                || p.signals.contains("USR1")).count() == 2);
        Http.Answer unknown = operator.post("/api/v1/actions/signal", "{\"all\":true,\"signal\":\"NOPE\"}");
        assertThat(unknown.status()).isEqualTo(409);
        assertThat(unknown.json().path("ok").asBoolean()).isFalse();
    }

    @Test
    void restartAndARollingRestartStartNewProcesses() throws Exception {
        Http.Answer restarted = operator.post("/api/v1/actions/restart", "{\"target\":\"1\"}");
        assertThat(restarted.status()).as(restarted.body()).isEqualTo(200);
        TestFleet.waitUntil(() -> fleet.launcher.started.size() == 6);

        Http.Answer rolling = operator.post("/api/v1/actions/rolling-restart",
                "{\"group\":\"B\",\"batch\":1,\"healthyForMillis\":0}");
        assertThat(rolling.status()).as(rolling.body()).isEqualTo(200);
        assertThat(rolling.json().path("message").asText()).contains("Rolling restart of group \"B\"");
        TestFleet.waitUntil(() -> fleet.launcher.started.size() == 9);
        JsonNode groups = operator.get("/api/v1/status").json().path("groups");
        assertThat(groups.findValuesAsText("name")).containsExactly("A", "B");
    }

    @Test
    void suspendWithPersistIsAnsweredAsTheControlPlaneAnswersIt() throws Exception {
        Http.Answer answer = operator.post("/api/v1/actions/suspend", "{\"group\":\"A\",\"persist\":true}");
        boolean ok = fleet.master.suspend("B", false, true).get().ok();
        assertThat(answer.status()).as(answer.body()).isEqualTo(ok ? 200 : 409);
        assertThat(fleet.audit).singleElement().extracting(AuditEntry::action).isEqualTo("suspend --persist");
    }

    private ProcessStatus process(String group, int groupId) {
        try {
            return fleet.master.status().get().processes().stream()
                    .filter(p -> p.group().equals(group) && p.groupId() == groupId).findFirst().orElseThrow();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
