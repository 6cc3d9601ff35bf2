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
    "distarch.master.timeout=30s",
    // a worker in plain sh that always fails: given up after one failure, then suspended by GivenUpGuard
    "distributed-architecture.groups.Broken.command=-c false",
    "distributed-architecture.groups.Broken.bin_path=/bin/sh",
    "distributed-architecture.groups.Broken.restart.max-failures=1",
    "distributed-architecture.groups.Broken.local.instances_count=1",
})
class EmbeddedMasterTest {

    private static final Path WORK = temp();
    private static final Duration LIMIT = Duration.ofSeconds(90);

    @DynamicPropertySource
    static void fleet(DynamicPropertyRegistry registry) {
        // Workers run in their own JVMs: their working directory is where their journal goes.
        registry.add("distributed-architecture.groups.Greeters.path", WORK::toString);
        registry.add("distributed-architecture.queue_groups.Orders.path", WORK::toString);
        registry.add("distributed-architecture.queue_groups.Orders.local_feeder.port", Eventually::freePort);
    }

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
