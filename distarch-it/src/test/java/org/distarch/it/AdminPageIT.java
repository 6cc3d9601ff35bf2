package org.distarch.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.distarch.examples.DemoApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.springframework.security.crypto.bcrypt.BCrypt;

/**
 * The admin page in a real headless Chromium against a real master running the demo fleet (bin/demo's, on a free
 * queue port), with two users: an admin and a viewer. One browser and one fleet for the class, the tests in the
 * order a user would go: log in, look, filter, group, act, open a process, try what is refused, stop the master.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminPageIT {

    private static final Duration LIMIT = Duration.ofSeconds(90);
    /** The demo fleet: Tickers 3, Batch 2, Flaky 1, Greeters 1, Shell 1, Orders 1 feeder + 2 consumers. */
    private static final int FLEET = 11;
    private static final List<String> SEED_COLUMNS = List.of("ID", "Group", "Group ID", "Host", "Command",
            "Start time", "Stop time", "Last seen time", "Last output", "Status");

    private static Path dir;
    private static MasterRun master;
    private static Browser browser;
    private static String base;

    @BeforeAll
    static void startTheDemoFleetAndABrowser() throws Exception {
        assumeTrue(Browser.available() || "true".equals(System.getenv("DISTARCH_TESTHOSTS_REQUIRED")),
                "no /usr/bin/chromium and /usr/bin/chromedriver (apt-get install chromium chromium-driver)");
        dir = Files.createTempDirectory("distarch-admin-page-");
        master = MasterRun.startMain(dir, DemoApp.class, List.of("run-master", "--config",
                writeDemoConfig(dir).toString()));
        String line = master.awaitLine(l -> l.contains("HTTP API at http://127.0.0.1:"), LIMIT);
        base = line.replaceAll(".*HTTP API at (http://127\\.0\\.0\\.1:\\d+/).*", "$1");
        browser = Browser.start();
    }

    /** bin/demo's configuration with a free port for its queue, the shell worker's path made absolute, two users. */
    static Path writeDemoConfig(Path dir) throws IOException {
        String yaml;
        try (InputStream in = DemoApp.class.getResourceAsStream("/demo.yaml")) {
            yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Path shell = Path.of("..", "distarch-examples", "workers", "demo-worker.sh").toAbsolutePath().normalize();
        yaml = yaml.replace("port: 9901", "port: " + port)
                .replace("command: distarch-examples/workers/demo-worker.sh", "command: " + shell)
                + "  admin:\n    users:\n"
                + "      ada: {password_hash: '" + BCrypt.hashpw("ada-secret", BCrypt.gensalt(4)) + "', role: admin}\n"
                + "      vic: {password_hash: '" + BCrypt.hashpw("vic-secret", BCrypt.gensalt(4)) + "', role: viewer}\n";
        Path config = dir.resolve("demo.yaml");
        Files.writeString(config, yaml);
        return config;
    }

    @AfterAll
    static void stopEverything() throws Exception {
        try {
            if (browser != null) {
                browser.close();
            }
        } finally {
            if (master != null) {
                master.process.toHandle().destroy(); // SIGTERM: the master stops its workers (a test failed early)
                master.process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS);
                master.close();
            }
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (ProcessHandle.current().descendants().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .map(p -> p.info().commandLine().orElse("?")).toList()).as("processes left behind").isEmpty();
        if (dir != null) {
            try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private void logIn(String user, String password) {
        browser.find("#user").clear();
        browser.find("#user").sendKeys(user);
        browser.find("#password").clear();
        browser.find("#password").sendKeys(password);
        browser.click("#login-button");
    }

    private int rows(String css) {
        return browser.all("#processes tbody tr" + css).size();
    }

    private void awaitRows(String css, int count) {
        browser.await(d -> rows(css) == count ? true : null, count + " rows " + css);
    }

    @Test
    @Order(1)
    void loginIsRequiredThenTheDemoFleetAppearsWithTheSeedsColumns() {
        browser.open(base);
        browser.await(d -> d.getCurrentUrl().contains("/login.html") ? true : null, "the login page");
        browser.screenshot("login");
        logIn("ada", "wrong password");
        String error = browser.<String>await(d -> {
            String text = d.findElement(By.id("login-error")).getText();
            return text.isEmpty() ? null : text;
        }, "the login error");
        assertThat(error).isEqualTo("Wrong user name or password.");
        logIn("ada", "ada-secret");
        awaitRows("", FLEET);
        assertThat(browser.all("#processes thead th").stream().map(WebElement::getText)
                .map(t -> t.replaceAll("[▲▼]", "").trim()).toList()).containsSubsequence(SEED_COLUMNS);
        awaitRows("[data-group=Tickers][data-state=RUNNING]", 3);
        assertThat(browser.text("#masters .master-row")).contains("main", "localhost", "running");
        assertThat(browser.all("#tile-groups .card")).hasSize(6);
        assertThat(browser.text("#who")).contains("ada", "admin");
        browser.await(d -> rows("[data-state=RUNNING]") >= 8 ? true : null, "most of the fleet running");
        browser.screenshot("list");
        browser.size(390, 1400);
        browser.script("document.querySelector('.tabs').scrollIntoView()");
        browser.screenshot("phone");
        browser.script("window.scrollTo(0, 0)");
        browser.size(1400, 1000);
    }

    @Test
    @Order(2)
    void filtersByStateAndGroupLiveInTheUrlAndSurviveAReload() {
        browser.click("#search input[name=state][value=RUNNING]");
        browser.find("#search input[name=group]").sendKeys("Tickers");
        browser.click("#search-button");
        browser.await(d -> d.getCurrentUrl().contains("state=RUNNING") && d.getCurrentUrl().contains("group=Tickers")
                ? true : null, "the filter in the URL");
        awaitRows("", 3);
        assertThat(rows("[data-group=Tickers]")).isEqualTo(3);
        String filtered = browser.driver.getCurrentUrl();

        browser.driver.navigate().refresh();
        awaitRows("", 3);
        assertThat(browser.driver.getCurrentUrl()).isEqualTo(filtered);
        assertThat(browser.find("#search input[name=state][value=RUNNING]").isSelected()).isTrue();
        assertThat(browser.find("#search input[name=group]").getAttribute("value")).isEqualTo("Tickers");
        // The tiles still show the whole fleet.
        assertThat(browser.all("#tile-groups .card")).hasSize(6);

        browser.click("#clear-button");
        awaitRows("", FLEET);
        assertThat(browser.driver.getCurrentUrl()).doesNotContain("state=").doesNotContain("group=");
    }

    @Test
    @Order(3)
    void theGroupedViewInBothOrders() {
        browser.click("#tab-grouped");
        browser.await(d -> d.getCurrentUrl().contains("tab=grouped") ? true : null, "the grouped tab in the URL");
        browser.find(".box[data-kind=host][data-name=localhost]");
        assertThat(browser.all(".box[data-kind=host] .inner-box[data-kind=group]")).hasSize(6);
        new Select(browser.find("#grouped-order")).selectByValue("group");
        browser.await(d -> browser.all(".box[data-kind=group]").size() == 6 ? true : null, "a box per group");
        assertThat(browser.all(".box[data-kind=group] .inner-box[data-kind=host][data-name=localhost]")).hasSize(6);
        assertThat(browser.driver.getCurrentUrl()).contains("order=group");
        new Select(browser.find("#grouped-by")).selectByValue("size");
        new Select(browser.find("#grouped-dir")).selectByValue("desc");
        browser.await(d -> "Tickers".equals(browser.all(".box[data-kind=group]").get(0).getAttribute("data-name"))
                ? true : null, "the largest group first");
        browser.script("document.querySelector('.masters').scrollIntoView()");
        browser.screenshot("grouped");
        browser.script("window.scrollTo(0, 0)");
        browser.click("#tab-list");
        awaitRows("", FLEET);
    }

    @Test
    @Order(4)
    void suspendingAGroupThroughItsDialogChangesItsRowsLiveAndResumeBringsThemBack() {
        browser.script("window.distarchTestMarker = 'no reload'");
        browser.click("#tile-groups button[data-action=suspend][data-group=Tickers]");
        String question = browser.text("#confirm[open]");
        assertThat(question).contains("Suspend group “Tickers”?", "3 processes", "Gracefully", "Force");
        browser.click("#confirm button[data-value=graceful]");
        assertThat(browser.text(".toast.ok")).contains("Suspended group \"Tickers\"");
        awaitRows("[data-group=Tickers][data-state=STOPPED]", 3);
        browser.find("#tile-groups .card.health-suspended[data-name=Tickers]");

        browser.click("#tile-groups button[data-action=resume][data-group=Tickers]");
        assertThat(browser.text("#confirm[open]")).contains("Resume group “Tickers”?");
        browser.click("#confirm button[data-value=resume]");
        awaitRows("[data-group=Tickers][data-state=RUNNING]", 3);
        browser.find("#tile-groups .card.health-healthy[data-name=Tickers]");
        assertThat(browser.script("return window.distarchTestMarker")).as("the page was never reloaded")
                .isEqualTo("no reload");
    }

    @Test
    @Order(5)
    void aProcessPageShowsItsRestartsRiseLive() {
        browser.click("#processes tbody tr[data-group=Flaky] a.process-link");
        browser.await(d -> d.getCurrentUrl().contains("view=process") ? true : null, "the process page");
        int before = Integer.parseInt(browser.text("#restarts"));
        // The demo's flaky worker crashes after 4 to 12 s and is restarted 1 s later.
        browser.await(d -> Integer.parseInt(d.findElement(By.id("restarts")).getText()) > before ? true : null,
                "a restart counted live", LIMIT);
        assertThat(browser.text("#process-facts")).contains("Group", "Flaky", "Command", "demo:flaky");
        browser.await(d -> d.findElement(By.id("timeline")).getText().contains("stopped") ? true : null,
                "the crash in the transitions");
        browser.screenshot("process");
        browser.click("a.back");
        awaitRows("", FLEET);
    }

    @Test
    @Order(6)
    void restartingOneProcessFromItsPageCountsARestartAndItsHistoryShowsIt() {
        browser.click("#processes tbody tr[data-id='1'] a.process-link");
        browser.await(d -> d.getCurrentUrl().contains("id=1") ? true : null, "the page of process 1");
        browser.await(d -> "RUNNING".equals(d.findElement(By.id("process-state")).getText()) ? true : null,
                "process 1 running");
        int before = Integer.parseInt(browser.text("#restarts"));
        browser.click("#process-restart");
        assertThat(browser.text("#confirm[open]")).contains("Restart demo:ticker/1/1?");
        browser.click("#confirm button[data-value=restart]");
        browser.await(d -> browser.all(".toast.ok").stream().anyMatch(t -> t.getText().contains("Restart of process 1"))
                ? true : null, "the restart's result");
        browser.await(d -> Integer.parseInt(d.findElement(By.id("restarts")).getText()) > before ? true : null,
                "the restart counted");
        browser.await(d -> d.findElement(By.id("history")).getText().contains("STOPPING") ? true : null,
                "the restart in the state history");
        browser.click("a.back");
        awaitRows("", FLEET);
    }

    @Test
    @Order(7)
    void aProcessLogTailGrowsLiveAndTheFleetLogFiltersByLevel() {
        browser.click("#processes tbody tr[data-id='2'] a.process-link");
        browser.await(d -> d.getCurrentUrl().contains("id=2") ? true : null, "the page of process 2");
        browser.await(d -> browser.all("#log-lines li").size() > 0 ? true : null, "the log's backlog");
        int before = browser.all("#log-lines li").size();
        // A ticker says "round N done" every few seconds.
        browser.await(d -> browser.all("#log-lines li").size() > before ? true : null, "a new line, live", LIMIT);
        assertThat(browser.text("#log-lines")).contains("round");
        browser.click("#log-follow");
        assertThat(browser.text("#log-note")).contains("paused");
        browser.click("#log-follow");
        assertThat(browser.text("#log-note")).contains("following");
        browser.click("a.back");
        awaitRows("", FLEET);

        browser.click("#logs-link");
        browser.await(d -> d.getCurrentUrl().contains("view=logs") ? true : null, "the fleet's log");
        new Select(browser.find("#log-level")).selectByValue("error");
        browser.await(d -> d.getCurrentUrl().contains("level=error") ? true : null, "the level in the URL");
        browser.await(d -> browser.text("#log-lines").contains("simulated failure") ? true : null,
                "the flaky worker's errors", LIMIT);
        assertThat(browser.all("#log-lines li")).allMatch(li -> "ERROR".equals(li.getAttribute("data-level")));
        browser.screenshot("logs");
        browser.click("a.back");
        awaitRows("", FLEET);
    }

    @Test
    @Order(8)
    void theQueuePanelCountsOrdersDoneLive() {
        String done = "#tile-queues article[data-group=Orders] [data-figure=done]";
        int before = Integer.parseInt(browser.text(done));
        // The demo's feeder makes an order every 700 ms; the consumers ship them.
        browser.await(d -> Integer.parseInt(d.findElement(By.cssSelector(done)).getText()) > before + 2 ? true : null,
                "more orders done", LIMIT);
        assertThat(browser.text("#tile-queues article[data-group=Orders] [data-figure=consumers]")).isEqualTo("2 of 2");
        // As the feeder tells: both consumers are connected to it.
        browser.await(d -> d.findElement(By.cssSelector("#tile-queues article[data-group=Orders] [data-figure=connected]"))
                .getText().equals("2") ? true : null, "both consumers connected to the feeder", LIMIT);
    }

    /** What has the focus: its text, marked {@code dialog:} when it is inside the confirm dialog. */
    private static String focused() {
        return (String) browser.script("const e = document.activeElement; "
                + "return e ? (e.closest('dialog') ? 'dialog:' : '') + e.textContent.trim() : ''");
    }

    private static void press(CharSequence keys) {
        browser.driver.switchTo().activeElement().sendKeys(keys);
    }

    @Test
    @Order(9)
    void theConfirmDialogIsOperableByKeyboardAndASignalReachesAGroup() throws Exception {
        String signal = "#tile-groups button[data-action=signal][data-group=Shell]";
        browser.keys(signal, Keys.ENTER);
        assertThat(browser.text("#confirm[open]")).contains("Send a signal to group “Shell”?", "1 running process");
        assertThat(focused()).as("the dialog takes the focus, on its last choice").isEqualTo("dialog:SIGTERM");
        press(Keys.chord(Keys.SHIFT, Keys.TAB));
        assertThat(focused()).isEqualTo("dialog:SIGINT");
        press(Keys.TAB);
        assertThat(focused()).isEqualTo("dialog:SIGTERM");
        press(Keys.ESCAPE);
        browser.await(d -> browser.all("#confirm[open]").isEmpty() ? true : null, "Escape closing the dialog");
        assertThat(browser.all(".toast")).as("a cancelled dialog does nothing")
                .noneMatch(t -> t.getText().contains("SIGTERM"));

        browser.keys(signal, Keys.ENTER);
        browser.await(d -> "dialog:SIGTERM".equals(focused()) ? true : null, "the dialog open again");
        press(Keys.ENTER);
        browser.await(d -> browser.all(".toast.ok").stream().anyMatch(t -> t.getText()
                .contains("Sent SIGTERM to 1 process of group \"Shell\"")) ? true : null, "the signal's result");
        master.awaitLine(l -> l.contains("got SIGTERM, bye"), LIMIT);

        // The host's and the group's other actions name their targets, and Escape leaves them undone.
        browser.keys("#tile-hosts button[data-action=stop][data-host=localhost]", Keys.ENTER);
        assertThat(browser.text("#confirm[open]")).contains("Stop every process on localhost?",
                FLEET + " processes", "Gracefully", "Force");
        press(Keys.ESCAPE);
        browser.await(d -> browser.all("#confirm[open]").isEmpty() ? true : null, "the host dialog closed");
        browser.keys("#tile-groups button[data-action=rolling][data-group=Tickers]", Keys.ENTER);
        assertThat(browser.text("#confirm[open]")).contains("Rolling restart of group “Tickers”?", "3 processes");
        press(Keys.ESCAPE);
        browser.await(d -> browser.all("#confirm[open]").isEmpty() ? true : null, "the rolling dialog closed");
    }

    @Test
    @Order(10)
    void theAuditShowsWhoDidWhat() {
        browser.click("#audit-link");
        // The history writes the audit in batches on its own thread: wait for the last action, not the first.
        browser.await(d -> d.findElement(By.id("audit")).getText().contains("signal TERM") ? true : null, "the audit");
        String audit = browser.text("#audit");
        assertThat(audit).contains("ada", "http", "suspend", "Tickers", "resume", "restart", "signal TERM", "done");
        browser.screenshot("audit");
        browser.click("a.back");
        awaitRows("", FLEET);
    }

    @Test
    @Order(11)
    void aPostWithoutTheCsrfTokenIsRefused() {
        @SuppressWarnings("unchecked")
        Map<String, Object> answer = (Map<String, Object>) browser.asyncScript("""
                const done = arguments[arguments.length - 1];
                fetch('/api/v1/actions/resume', {method: 'POST', headers: {'Content-Type': 'application/json'},
                    body: '{}'}).then(async r => done({status: r.status, body: await r.text()}));
                """);
        assertThat(answer.get("status")).isEqualTo(403L);
        assertThat((String) answer.get("body")).contains("X-CSRF-Token");
    }

    @Test
    @Order(12)
    void aViewerSeesNoActionButtonsAndTheApiRefusesTheirPost() {
        browser.click("#logout");
        browser.await(d -> d.getCurrentUrl().contains("/login.html") ? true : null, "the login page");
        logIn("vic", "vic-secret");
        awaitRows("", FLEET);
        assertThat(browser.text("#who")).contains("vic", "viewer");
        assertThat(browser.all("button.action")).isEmpty();
        @SuppressWarnings("unchecked")
        Map<String, Object> answer = (Map<String, Object>) browser.asyncScript("""
                const done = arguments[arguments.length - 1];
                fetch('/api/v1/session').then(r => r.json()).then(s => fetch('/api/v1/actions/suspend', {
                    method: 'POST', headers: {'Content-Type': 'application/json', 'X-CSRF-Token': s.csrfToken},
                    body: '{"group": "Tickers"}'})).then(async r => done({status: r.status, body: await r.text()}));
                """);
        assertThat(answer.get("status")).isEqualTo(403L);
        assertThat((String) answer.get("body")).contains("needs the operator role");
        browser.click("#processes tbody tr[data-group=Batch] a.process-link");
        browser.await(d -> d.getCurrentUrl().contains("view=process") ? true : null, "the process page");
        browser.find("#process-facts");
        assertThat(browser.all("button.action")).isEmpty();
        browser.click("#logout");
        browser.await(d -> d.getCurrentUrl().contains("/login.html") ? true : null, "the login page");
    }

    @Test
    @Order(13)
    void stoppingTheMasterShowsTheNotRunningBanner() throws Exception {
        logIn("ada", "ada-secret");
        awaitRows("", FLEET);
        browser.click("#stop-master");
        assertThat(browser.text("#confirm[open]")).contains("Stop the master?", "cannot be started again from this page");
        browser.click("#confirm button[data-value=stop]");
        assertThat(browser.text("#not-running")).contains("The service is not running", "Actions are disabled");
        assertThat(master.awaitExit(LIMIT)).isZero();
        browser.await(d -> !d.findElement(By.id("resume-all")).isEnabled() ? true : null, "the actions disabled");
        browser.screenshot("not-running");
    }
}
