package org.distarch.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
 * the host's link shows on that row, live, as the relay losing its session and reconnecting, then recovered.
 */
@ExtendWith(NoStrayProcesses.class)
class AdminPageRemoteIT {

    @RegisterExtension
    static final TestHosts HOSTS = TestHosts.of(1);

    private static final Duration LIMIT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    private static String state(Browser browser, String host) {
        List<org.openqa.selenium.WebElement> rows = browser.all("#masters tr.relay-row[data-host=\"" + host + "\"]");
        return rows.isEmpty() ? null : rows.get(0).getAttribute("data-state");
    }

    @Test
    void aRemoteHostHasItsRelayRowAndACutShowsItReconnectingThenRecovered() throws Exception {
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
            String line = run.awaitLine(l -> l.contains("log in at http://127.0.0.1:"), LIMIT);
            browser.open(line.replaceAll(".*log in at (\\S+).*", "$1"));
            browser.await(d -> browser.all("#processes tbody tr[data-state=RUNNING]").size() == 3 ? true : null,
                    "the three processes running", LIMIT);
            browser.await(d -> "connected".equals(state(browser, host)) ? true : null, "the relay connected");
            assertThat(browser.text("#masters tr.relay-row")).contains("relay", host, "connected");
            browser.screenshot("relays");

            HOSTS.cut(host);
            try {
                browser.await(d -> "disconnected".equals(state(browser, host)) ? true : null,
                        "the relay's session lost", LIMIT);
                assertThat(browser.text("#masters tr.relay-row")).contains("disconnected");
                browser.await(d -> "reconnecting".equals(state(browser, host)) ? true : null,
                        "the relay reconnecting", LIMIT);
                browser.screenshot("relay-reconnecting");
            } finally {
                HOSTS.restore(host);
            }
            browser.await(d -> "connected".equals(state(browser, host)) ? true : null, "the relay recovered", LIMIT);
            browser.await(d -> browser.all("#processes tbody tr[data-host=\"" + host + "\"][data-state=RUNNING]").size() == 2
                    ? true : null, "the remote processes running again", LIMIT);
            run.process.toHandle().destroy();
            assertThat(run.awaitExit(LIMIT)).isZero();
        }
    }
}
