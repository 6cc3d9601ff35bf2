package org.distarch.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.distarch.event.ProcessEvent;
import org.distarch.event.QueueEvent;
import org.distarch.spring.boot.DistarchFleet;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The master as an ApplicationRunner ({@code distarch.master.enabled=true}) beside the web server: real worker
 * processes (this application again, without its web server) use the injected service, the queue command ships
 * every order, {@code @EventListener}s hear the events and the example's guard steers the fleet; the actuator
 * shows it all.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "distarch.master.enabled=true",
    // Generous silence limits: on a loaded machine a worker (a Spring context of its own) can take over a minute to
    // print its first line, and an idle consumer must not be given up while the tests run.
    "distarch.master.timeout=150s",
    // Boot 3's @SpringBootTest turns metrics export off (no Prometheus registry) unless asked; Boot 4 keeps it.
    "spring.test.observability.auto-configure=true",
    "distributed-architecture.groups.Greeters.timeout=150",
    "distributed-architecture.queue_groups.Orders.timeout=150",
    // a worker in plain sh that always fails: given up after one failure, then suspended by GivenUpGuard
    "distributed-architecture.groups.Broken.command=-c false",
    "distributed-architecture.groups.Broken.bin_path=/bin/sh",
    "distributed-architecture.groups.Broken.restart.max-failures=1",
    "distributed-architecture.groups.Broken.local.instances_count=1",
})
class EmbeddedMasterTest {

    private static final Path WORK = temp();
    /** Generous: on a loaded machine each worker (a Spring context of its own) can take a minute to start. */
    private static final Duration LIMIT = Duration.ofSeconds(180);

    @DynamicPropertySource
    static void fleet(DynamicPropertyRegistry registry) {
        // Workers run in their own JVMs: their working directory is where their journal goes.
        registry.add("distributed-architecture.groups.Greeters.path", WORK::toString);
        registry.add("distributed-architecture.queue_groups.Orders.path", WORK::toString);
        registry.add("distributed-architecture.queue_groups.Orders.local_feeder.port", Eventually::freePort);
        // The admin page's user (application.yaml mounts the page under /distarch/): a BCrypt hash, as in a file.
        registry.add("distributed-architecture.admin.users.alice.password_hash", () -> PASSWORD_HASH);
        registry.add("distributed-architecture.admin.users.alice.role", () -> "operator");
    }

    private static final String PASSWORD = "correct horse battery";
    private static final String PASSWORD_HASH = org.springframework.security.crypto.bcrypt.BCrypt.hashpw(PASSWORD,
            org.springframework.security.crypto.bcrypt.BCrypt.gensalt(4));

    @TestConfiguration
    static class Recorder {
        final List<ProcessEvent.Started> started = new CopyOnWriteArrayList<>();
        final Set<String> handled = ConcurrentHashMap.newKeySet();

        @EventListener
        void on(ProcessEvent.Started event) {
            started.add(event);
        }

        @EventListener
        void on(QueueEvent.ItemHandled event) {
            handled.add(event.itemId());
        }

        @Bean
        Recorder recorder() {
            return this;
        }
    }

    @Autowired
    Recorder recorder;

    @Autowired
    DistarchFleet fleet;

    @Value("${local.server.port}")
    int port;

    @Test
    void workersUseTheInjectedService() throws Exception {
        Eventually.await("both greeters wrote to the journal", LIMIT, () ->
                journal().contains("Hello, distarch! (worker 1 of 2") && journal().contains("Hello, distarch! (worker 2 of 2"));
    }

    @Test
    void theQueueCommandShipsEveryOrder() throws Exception {
        Eventually.await("5 orders handled", LIMIT, () -> recorder.handled.size() == 5);
        assertThat(recorder.handled).containsExactlyInAnyOrder("order-1", "order-2", "order-3", "order-4", "order-5");
        Eventually.await("5 orders in the journal", LIMIT, () -> IntStream.rangeClosed(1, 5)
                .allMatch(i -> journal().contains("shipped order-" + i + " to customer " + i + "\n")));
    }

    @Test
    void eventListenersHearProcessStarted() throws Exception {
        Eventually.await("process_started of both greeters", LIMIT, () -> recorder.started.stream()
                .filter(e -> e.process().group().equals("Greeters")).count() >= 2);
        assertThat(recorder.started).allSatisfy(e -> assertThat(e.name()).isEqualTo("process_started"));
        assertThat(recorder.started.get(0).pid()).isPositive();
    }

    @Test
    void aListenerSteersTheFleet() throws Exception {
        Eventually.await("GivenUpGuard suspended Broken", LIMIT,
                () -> fleet.status().join().suspendedGroups().contains("Broken"));
        assertThat(fleet.state()).isEqualTo(DistarchFleet.State.RUNNING);
    }

    @Test
    void theActuatorShowsTheFleet() throws Exception {
        // UP once Broken, given up, is suspended by GivenUpGuard: a suspended group is in an operator's hands.
        Eventually.await("the fleet's health is UP", LIMIT, () ->
                get("/actuator/health").path("components").path("distarch").path("status").asText().equals("UP"));
        JsonNode health = get("/actuator/health").path("components").path("distarch");
        assertThat(health.path("details").path("state").asText()).isEqualTo("RUNNING");
        assertThat(health.path("details").path("suspendedGroups").toString()).isEqualTo("[\"Broken\"]");
        assertThat(health.path("details").path("states").path("FAILED").asInt()).isEqualTo(1);
        Eventually.await("the endpoint lists both greeters running", LIMIT, () -> {
            JsonNode status = get("/actuator/distarch");
            long running = 0;
            for (JsonNode p : status.path("processes")) {
                if (p.path("group").asText().equals("Greeters") && p.path("state").asText().equals("RUNNING")) {
                    running++;
                }
            }
            return running == 2 && status.path("state").asText().equals("RUNNING") && status.path("pid").asLong() > 0;
        });
    }

    @Test
    void theActuatorsMetricsShowTheFleet() throws Exception {
        // Micrometer's own view (/actuator/metrics) and the Prometheus text: the same meters, as the fleet is now.
        Eventually.await("distarch.processes says both greeters run", LIMIT, () -> get(
                "/actuator/metrics/distarch.processes?tag=group:Greeters&tag=state:running")
                .path("measurements").path(0).path("value").asDouble() == 2.0);
        assertThat(get("/actuator/metrics/distarch.processes?tag=group:Broken&tag=state:failed")
                .path("measurements").path(0).path("value").asDouble()).isEqualTo(1.0);
        // Every order handled (as the listeners heard it), then counted in the meters too.
        Eventually.await("5 orders handled", LIMIT, () -> recorder.handled.size() == 5);
        Eventually.await("distarch.queue.items counts the 5 orders handled", LIMIT, () -> get(
                "/actuator/metrics/distarch.queue.items?tag=group:Orders&tag=outcome:handled")
                .path("measurements").path(0).path("value").asDouble() >= 5);
        String text = prometheus();
        assertThat(text).contains("distarch_processes{group=\"Greeters\",state=\"running\"} 2.0");
        assertThat(sample(text, "distarch_queue_items_total{group=\"Orders\",outcome=\"handled\"}"))
                .as("in the Prometheus text: %s", text.lines().filter(l -> l.contains("queue")).toList())
                .isGreaterThanOrEqualTo(5);
        assertThat(text).containsPattern("distarch_output_lines_total\\{group=\"Greeters\"} [1-9]");
        assertThat(text).as("the application's own meters are there too").contains("jvm_threads_live_threads");
    }

    @Test
    void theAdminApiIsServedUnderTheApplicationsOwnPort() throws Exception {
        String base = "http://127.0.0.1:" + port + "/distarch";
        String own = "http://127.0.0.1:" + port;
        HttpResponse<String> anonymous = send(HttpRequest.newBuilder(URI.create(base + "/api/v1/groups")));
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.body()).contains("log in first");

        HttpResponse<String> wrong = send(json(base + "/api/v1/login", "{\"user\":\"alice\",\"password\":\"no\"}"));
        assertThat(wrong.statusCode()).isEqualTo(401);
        HttpResponse<String> login = send(json(base + "/api/v1/login",
                "{\"user\":\"alice\",\"password\":\"" + PASSWORD + "\"}"));
        assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith("distarch_session=").contains("HttpOnly").containsIgnoringCase("SameSite=Strict");
        String session = cookie.substring(0, cookie.indexOf(';'));
        String csrf = new ObjectMapper().readTree(login.body()).path("csrfToken").asText();
        assertThat(new ObjectMapper().readTree(login.body()).path("role").asText()).isEqualTo("operator");

        Eventually.await("the API lists both greeters running", LIMIT, () -> {
            JsonNode groups = read(unchecked(HttpRequest.newBuilder(URI.create(base + "/api/v1/groups"))
                    .header("Cookie", session)));
            for (JsonNode group : groups) {
                if (group.path("name").asText().equals("Greeters")) {
                    return group.path("states").path("RUNNING").asInt() == 2;
                }
            }
            return false;
        });

        // A state-changing request: the CSRF token and this server's own Origin are required, as on the master's port.
        HttpResponse<String> noCsrf = send(json(base + "/api/v1/logout", "{}").header("Cookie", session));
        assertThat(noCsrf.statusCode()).isEqualTo(403);
        assertThat(noCsrf.body()).contains("X-CSRF-Token");
        HttpResponse<String> foreign = send(json(base + "/api/v1/logout", "{}").header("Cookie", session)
                .header("X-CSRF-Token", csrf).header("Origin", "http://evil.example"));
        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(foreign.body()).contains("cross-origin request refused");

        // The live stream through the application's server: the snapshot arrives at once.
        HttpResponse<java.io.InputStream> events = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(base + "/api/v1/events?group=Greeters")).header("Cookie", session).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(events.statusCode()).isEqualTo(200);
        assertThat(events.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(events.body(), StandardCharsets.UTF_8))) {
            String line;
            do {
                line = lines.readLine();
            } while (line != null && !line.startsWith("event:"));
            assertThat(line).isEqualTo("event: snapshot");
            assertThat(lines.readLine()).startsWith("data: ").contains("\"Greeters\"");
        }

        HttpResponse<String> page = send(HttpRequest.newBuilder(URI.create(base + "/")));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<title>distarch</title>");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElse("")).contains("default-src 'none'");
        // The page names its files and the API relative to itself, so that all of it resolves under the mount.
        java.util.regex.Matcher asset = java.util.regex.Pattern.compile("(?:src|href)=\"([^\"#]+)\"").matcher(page.body());
        int assets = 0;
        while (asset.find()) {
            String path = asset.group(1);
            assertThat(path).as("a path relative to the page").doesNotStartWith("/").doesNotContain("//");
            HttpResponse<String> file = send(HttpRequest.newBuilder(URI.create(base + "/").resolve(path)));
            assertThat(file.statusCode()).as(path).isIn(200, 401); // the API's OpenAPI link wants a login
            assets++;
        }
        assertThat(assets).as("the stylesheet, the icon, the script, the links").isGreaterThanOrEqualTo(4);
        HttpResponse<String> main = send(HttpRequest.newBuilder(URI.create(base + "/js/main.js")));
        assertThat(main.statusCode()).isEqualTo(200);
        assertThat(main.body()).contains("from './api.js'");
        assertThat(send(HttpRequest.newBuilder(URI.create(base + "/js/api.js"))).body()).contains("'api/v1/session'")
                .doesNotContain("'/api/");

        HttpResponse<String> logout = send(json(base + "/api/v1/logout", "{}").header("Cookie", session)
                .header("X-CSRF-Token", csrf).header("Origin", own));
        assertThat(logout.statusCode()).as(logout.body()).isEqualTo(200);
        assertThat(send(HttpRequest.newBuilder(URI.create(base + "/api/v1/groups")).header("Cookie", session))
                .statusCode()).as("the session ended").isEqualTo(401);
    }

    /** A sample's value in the Prometheus text, or -1 when it is not there. */
    private static double sample(String text, String name) {
        for (String line : text.split("\n")) {
            if (line.startsWith(name + " ")) {
                return Double.parseDouble(line.substring(name.length() + 1).trim());
            }
        }
        return -1;
    }

    private static HttpRequest.Builder json(String url, String body) {
        return HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(request.timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode read(HttpResponse<String> response) {
        try {
            return new ObjectMapper().readTree(response.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private String prometheus() {
        return unchecked(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus"))).body();
    }

    private static HttpResponse<String> unchecked(HttpRequest.Builder request) {
        try {
            return send(request);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private JsonNode get(String path) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + path)).build(), HttpResponse.BodyHandlers.ofString());
            return new ObjectMapper().readTree(response.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String journal() {
        try {
            Path file = WORK.resolve("var/journal.txt");
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Removed when this JVM ends, after the cached context (and so the fleet) has been closed. */
    private static Path temp() {
        try {
            Path dir = Files.createTempDirectory("distarch-spring-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try (var paths = Files.walk(dir)) {
                    paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                } catch (IOException e) {
                    // a temporary folder left behind: nothing else depends on it
                }
            }));
            return dir;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
