package org.distarch.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.distarch.it.hosts.TestHosts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin page with a remote host (a real sshd on a test host): its relay has a row of its own, and cutting
 * the host's link shows on that row, live, as the relay reconnecting with the reason, then recovered; a new host
 * key shows as the key unknown, with what to do. {@code GET /api/v1/master} reports the same states and reasons.
 */
@ExtendWith(NoStrayProcesses.class)
class AdminPageRemoteIT {

    @RegisterExtension
    static final TestHosts HOSTS = TestHosts.of(1);

    private static final Duration LIMIT = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static String state(Browser browser, String host) {
        List<org.openqa.selenium.WebElement> rows = browser.all("#masters tr.relay-row[data-host=\"" + host + "\"]");
        return rows.isEmpty() ? null : rows.get(0).getAttribute("data-state");
    }

    /** The details cell of the relay's row (looked up again when the page redrew it meanwhile). */
    private static String reason(Browser browser, String host) {
        return browser.text("#masters tr.relay-row[data-host=\"" + host + "\"] td.relay-reason");
    }

    /** The relay of {@code host} as {@code GET /api/v1/master} reports it, once it is in {@code state}. */
    private static JsonNode awaitRelay(MasterRun run, String host, String state) throws Exception {
        Path pidDir = run.dir.resolve("var/log");
        String url = Files.readString(pidDir.resolve("distributed_architecture.admin-url")).trim();
        String token = Files.readString(pidDir.resolve("distributed_architecture.admin-token")).trim();
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + LIMIT.toNanos();
        JsonNode master = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "api/v1/master"))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            master = JSON.readTree(r.body());
            for (JsonNode relay : master.path("relays")) {
                if (relay.path("host").asText().equals(host) && relay.path("state").asText().equals(state)) {
                    return relay;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no relay of " + host + " in state " + state + " within " + LIMIT + ": " + master);
    }

    @Test
    void aRemoteHostHasItsRelayRowWithItsStateAndReasonInThePageAndTheApi() throws Exception {
        assumeTrue(Browser.available() || "true".equals(System.getenv("DISTARCH_TESTHOSTS_REQUIRED")),
                "no /usr/bin/chromium and /usr/bin/chromedriver");
        String host = HOSTS.names().get(0);
        String yaml = """
                distributed_architecture:
                  groups:
                    Local:
                      command: test:scripted
                      params: {script: ["work 600"]}
                      local: {instances_count: 1}
                    Remote:
                      command: test:scripted
                      stop_timeout: 2
                      params: {script: ["work 600"]}
                      remote: [{instances_count: 2, hosts: [%s]}]
                """.formatted(host);
        try (MasterRun run = MasterRun.start(dir, yaml, "--ssh-config", HOSTS.sshConfig().toString());
                Browser browser = Browser.start()) {
            // As an operator without users would: the page's token form, with the token from the file the log names.
            String line = run.awaitLine(l -> l.contains("its access token is in "), LIMIT);
            Path tokenFile = Path.of(line.replaceAll(".*its access token is in (\\S+) .*", "$1"));
            String url = line.replaceAll(".*HTTP API at (http://127\\.0\\.0\\.1:\\d+/).*", "$1");
            browser.open(url);
            browser.await(d -> d.getCurrentUrl().contains("/login.html") ? true : null, "the login page");
            browser.find("#token").sendKeys("not the token");
            browser.click("#token-button");
            assertThat(browser.<String>await(d -> {
                String text = d.findElement(org.openqa.selenium.By.id("token-error")).getText();
                return text.isEmpty() ? null : text;
            }, "the token's error")).isEqualTo("Wrong token, or one from an earlier run of the master.");
            browser.find("#token").clear();
            browser.find("#token").sendKeys(Files.readString(tokenFile).trim());
            browser.click("#token-button");
            browser.await(d -> browser.all("#processes tbody tr[data-state=RUNNING]").size() == 3 ? true : null,
                    "the three processes running", LIMIT);
            browser.await(d -> "connected".equals(state(browser, host)) ? true : null, "the relay connected");
            assertThat(browser.text("#masters tr.relay-row")).contains("relay", host, "connected");
            browser.screenshot("relays");

            JsonNode relay = awaitRelay(run, host, "CONNECTED");
            assertThat(relay.path("group").asText()).isEqualTo("Remote");
            assertThat(relay.path("reason").isNull()).isTrue();

            HOSTS.cut(host);
            try {
                browser.await(d -> "reconnecting".equals(state(browser, host)) ? true : null,
                        "the relay reconnecting", LIMIT);
                browser.await(d -> reason(browser, host).contains(host) ? true : null, "the reason on the relay's row");
                assertThat(browser.text("#masters tr.relay-row")).contains("reconnecting");
                assertThat(awaitRelay(run, host, "RECONNECTING").path("reason").asText())
                        .containsAnyOf("unreachable", "failed or was lost", "ended");
                browser.screenshot("relay-reconnecting");
            } finally {
                HOSTS.restore(host);
            }
            browser.await(d -> "connected".equals(state(browser, host)) ? true : null, "the relay recovered", LIMIT);
            browser.await(d -> browser.all("#processes tbody tr[data-host=\"" + host + "\"][data-state=RUNNING]").size() == 2
                    ? true : null, "the remote processes running again", LIMIT);
            assertThat(reason(browser, host)).doesNotContain("unreachable");

            // A new host key: the session is lost (cut), and the next one is refused by ssh for the key.
            HOSTS.rekey(host);
            try {
                HOSTS.cut(host);
                try {
                    browser.await(d -> "reconnecting".equals(state(browser, host)) ? true : null,
                            "the relay reconnecting after the cut", LIMIT);
                } finally {
                    HOSTS.restore(host);
                }
                // Each remote process tries the new session once and gives up for the key; until both have, a
                // second try shows the relay reconnecting again (with the key's reason). Both given up, it stays.
                browser.await(d -> browser.all("#processes tbody tr[data-host=\"" + host + "\"][data-state=FAILED]")
                        .size() == 2 ? true : null, "both remote processes given up for the key", LIMIT);
                String row = browser.await(d -> {
                    String text = browser.text("#masters tr.relay-row");
                    return "unknown-host-key".equals(state(browser, host)) ? text : null;
                }, "the relay's host key unknown", LIMIT);
                assertThat(row).contains("unknown host key");
                assertThat(reason(browser, host)).contains("ssh-keyscan " + host);
                assertThat(awaitRelay(run, host, "UNKNOWN_HOST_KEY").path("reason").asText())
                        .contains("host key of " + host + " is unknown or has changed");
                browser.screenshot("relay-unknown-host-key");
            } finally {
                HOSTS.trust(host);
            }
            run.process.toHandle().destroy();
            assertThat(run.awaitExit(LIMIT)).as("the remote processes were given up for the host key").isEqualTo(1);
        }
    }
}
