package org.distarch.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live stream as a client sees it: a snapshot, then the changes a suspend through the API causes, then a
 * dropped connection resumed with {@code Last-Event-ID} that gets what it missed, without a new snapshot.
 */
class EventsApiTest {

    @TempDir
    Path dir;

    /** One server-sent message. */
    record Message(String id, String event, JsonNode data) {}

    /** An open stream read on its own thread into a queue of messages. */
    static final class Stream implements AutoCloseable {
        final BlockingQueue<Message> messages = new LinkedBlockingQueue<>();
        final java.util.stream.Stream<String> lines;
        final Thread reader;

        Stream(Http http, String path, String lastEventId) throws Exception {
            var request = http.request(path).GET();
            if (lastEventId != null) {
                request.header("Last-Event-ID", lastEventId);
            }
            HttpResponse<java.util.stream.Stream<String>> response =
                    http.client().send(request.build(), HttpResponse.BodyHandlers.ofLines());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
            lines = response.body();
            reader = new Thread(() -> {
                String id = null;
                String event = null;
                try {
                    for (String line : (Iterable<String>) lines::iterator) {
                        if (line.startsWith("id: ")) {
                            id = line.substring(4);
                        } else if (line.startsWith("event: ")) {
                            event = line.substring(7);
                        } else if (line.startsWith("data: ")) {
                            messages.add(new Message(id, event, Http.JSON.readTree(line.substring(6))));
                        }
                    }
                } catch (Exception e) {
                    // the test closed the stream
                }
            }, "sse-test-reader");
            reader.setDaemon(true);
            reader.start();
        }

        Message next() throws InterruptedException {
            Message m = messages.poll(30, TimeUnit.SECONDS);
            assertThat(m).as("a message within 30 s").isNotNull();
            return m;
        }

        /** Messages until one matches; returns all of them, the match last. */
        List<Message> until(Predicate<Message> match) throws InterruptedException {
            List<Message> seen = new ArrayList<>();
            while (true) {
                Message m = next();
                seen.add(m);
                if (match.test(m)) {
                    return seen;
                }
            }
        }

        @Override
        public void close() throws InterruptedException {
            lines.close();
            reader.join(10_000);
        }
    }

    private static Predicate<Message> state(int id, String state) {
        return m -> m.event().equals("process") && m.data().path("id").asInt() == id
                && m.data().path("process").path("state").asText().equals(state);
    }

    /** The row may be newer than the event that caused its message; the event itself comes in a later one. */
    private static Predicate<Message> stopped(int id) {
        return state(id, "STOPPED").and(m -> m.data().path("event").path("event").asText().equals("process_stopped"));
    }

    @Test
    void aSuspendArrivesOnTheStreamAndADroppedStreamResumesWhereItWas() throws Exception {
        try (TestFleet fleet = new TestFleet(dir, AdminApiTest.ADMIN, AdminApiTest.ENV)) {
            Http viewer = new Http(fleet.url()).token(AdminApiTest.VIEWER);
            Http operator = new Http(fleet.url()).token(AdminApiTest.OPERATOR);
            String lastId;
            try (Stream stream = new Stream(viewer, "/api/v1/events?group=A", null)) {
                Message snapshot = stream.next();
                assertThat(snapshot.event()).isEqualTo("snapshot");
                assertThat(snapshot.data().path("processes")).hasSize(2);
                assertThat(snapshot.data().path("master").path("processes").asInt()).isEqualTo(5);

                assertThat(operator.post("/api/v1/actions/suspend", "{\"group\":\"A\"}").status()).isEqualTo(200);
                List<Message> seen = new ArrayList<>(stream.until(stopped(1).or(stopped(2))));
                int other = seen.get(seen.size() - 1).data().path("id").asInt() == 1 ? 2 : 1;
                if (seen.stream().noneMatch(stopped(other))) {
                    seen.addAll(stream.until(stopped(other)));
                }
                assertThat(seen).filteredOn(m -> m.event().equals("process"))
                        .allSatisfy(m -> assertThat(m.data().path("process").path("group").asText())
                                .as("the filter holds").isEqualTo("A"));
                Message stopped = seen.get(seen.size() - 1);
                assertThat(stopped.data().path("event").path("event").asText())
                        .as("the last event, in the event codec's form").isEqualTo("process_stopped");
                assertThat(stopped.id()).matches("[A-Za-z0-9_-]{8}-\\d+");
                lastId = stopped.id();
            }

            assertThat(operator.post("/api/v1/actions/resume", "{\"group\":\"A\"}").status()).isEqualTo(200);
            TestFleet.waitUntil(() -> {
                try {
                    return fleet.master.status().get().processes().stream()
                            .filter(p -> p.group().equals("A")).allMatch(p -> p.state().equals("RUNNING"));
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });

            try (Stream resumed = new Stream(viewer, "/api/v1/events?group=A", lastId)) {
                List<Message> missed = resumed.until(state(1, "RUNNING"));
                // The master says master_running every second: one may come first among what was missed.
                assertThat(missed.get(0).event()).as("no new snapshot: what was missed").isIn("process", "master");
                assertThat(missed).noneMatch(m -> m.event().equals("snapshot"));
                long last = Long.parseLong(lastId.substring(lastId.lastIndexOf('-') + 1));
                assertThat(missed).allSatisfy(m -> assertThat(Long.parseLong(m.id().substring(m.id().lastIndexOf('-') + 1)))
                        .isGreaterThan(last));
            }

            try (Stream stranger = new Stream(viewer, "/api/v1/events", "another-run-17")) {
                Message first = stranger.next();
                assertThat(first.event()).as("an id from another run: a snapshot").isEqualTo("snapshot");
                assertThat(first.data().path("processes")).hasSize(5);
            }
        }
    }

    @Test
    void aStreamResumedAfterNobodyWasConnectedForTheResumeWindowStartsWithASnapshot() throws Exception {
        try (TestFleet fleet = new TestFleet(dir, AdminApiTest.ADMIN, AdminApiTest.ENV)) {
            Http viewer = new Http(fleet.url()).token(AdminApiTest.VIEWER);
            var consumer = new org.distarch.event.ProcessIdentity(1, 1, 1, "A", "localhost", "a",
                    org.distarch.event.ProcessRole.CONSUMER);
            String lastId;
            try (Stream stream = new Stream(viewer, "/api/v1/events?group=A", null)) {
                assertThat(stream.next().event()).isEqualTo("snapshot");
                fleet.stream.onEvent(new org.distarch.event.QueueEvent.ItemReceived(java.time.Instant.now(),
                        consumer, "o1", 1, null, false));
                lastId = stream.until(m -> m.event().equals("process")).get(0).id();
            }
            // The server learns of a closed stream when a write to it fails: give it some to write.
            for (int i = 0; fleet.stream.clients() > 0 && i < 300; i++) {
                fleet.stream.onEvent(new org.distarch.event.QueueEvent.ItemReceived(java.time.Instant.now(),
                        consumer, "w" + i, 1, null, false));
                Thread.sleep(100);
            }
            assertThat(fleet.stream.clients()).as("the closed stream noticed").isZero();

            fleet.streamClock.advance(java.time.Duration.ofMillis(
                    org.distarch.admin.api.EventStream.RESUME_WINDOW_MILLIS + 1000));
            var unseen = new org.distarch.event.QueueEvent.ItemReceived(java.time.Instant.now(), consumer, "unseen", 1,
                    null, false);
            assertThat(fleet.stream.wants(unseen)).as("nobody to tell: the bus does not even queue it").isFalse();
            assertThat(fleet.stream.wants(new org.distarch.event.MasterEvent.Running(java.time.Instant.now(), "localhost", false, 5)))
                    .as("nor the master's own").isFalse();
            fleet.stream.onEvent(unseen);
            try (Stream late = new Stream(viewer, "/api/v1/events?group=A", lastId)) {
                Message first = late.next();
                assertThat(first.event()).as("nothing kept for nobody: a snapshot, not a replay").isEqualTo("snapshot");
                assertThat(first.data().path("processes")).hasSize(2);
                assertThat(fleet.stream.wants(unseen)).as("a client again: wanted").isTrue();
                fleet.stream.onEvent(new org.distarch.event.QueueEvent.ItemReceived(java.time.Instant.now(),
                        consumer, "seen", 1, null, false));
                Message next = late.until(m -> m.event().equals("process"))
                        .stream().filter(m -> m.event().equals("process")).findFirst().orElseThrow();
                assertThat(next.data().path("event").path("itemId").asText()).as("live again").isEqualTo("seen");
            }
        }
    }

    @Test
    void queueFiguresArePushedOnTheStreamAfterTheMetricsCountedThem() throws Exception {
        try (TestFleet fleet = new TestFleet(dir, AdminApiTest.ADMIN, AdminApiTest.ENV, "127.0.0.1", true)) {
            Http viewer = new Http(fleet.url()).token(AdminApiTest.VIEWER);
            try (Stream stream = new Stream(viewer, "/api/v1/events", null)) {
                Message snapshot = stream.next();
                assertThat(snapshot.event()).isEqualTo("snapshot");
                assertThat(snapshot.data().path("queues").isArray()).as("the snapshot has the figures").isTrue();
                assertThat(snapshot.data().path("queues")).isEmpty();

                // What the bus hands the metrics when a feeder reports its items.
                var feeder = new org.distarch.event.ProcessIdentity(9, 1, 1, "Orders", "localhost", "orders",
                        org.distarch.event.ProcessRole.FEEDER);
                var now = java.time.Instant.now();
                for (int i = 0; i < 3; i++) {
                    fleet.metrics.onEvent(new org.distarch.event.QueueEvent.ItemReceived(now, feeder, "o" + i, 1, null,
                            false));
                    fleet.metrics.onEvent(new org.distarch.event.QueueEvent.ItemHandled(now, feeder, "o" + i, 1, 2,
                            null, false));
                }
                List<Message> seen = stream.until(m -> m.event().equals("queues")
                        && m.data().path("queues").path(0).path("handled").asInt() == 3);
                assertThat(seen).filteredOn(m -> m.event().equals("queues"))
                        .allSatisfy(m -> assertThat(m.data().path("queues").path(0).path("group").asText())
                                .isEqualTo("Orders"))
                        .as("coalesced: fewer messages than the six events").hasSizeLessThan(6);
                JsonNode q = viewer.get("/api/v1/queues").json().path("queues").path(0);
                assertThat(q.path("group").asText()).isEqualTo("Orders");
                assertThat(q.path("handled").asInt()).isEqualTo(3);
                assertThat(q.path("inFlight").asInt()).isZero();
                assertThat(q.path("perSecond").asDouble()).isPositive();
                assertThat(q.path("consumers").asInt()).as("no consumer process in this fleet").isZero();
                assertThat(q.has("consumersRunning")).isTrue();
            }
        }
    }

    @Test
    void aBurstOfEventsForOneProcessIsSentAsItsLastEventInTheCodecsForm() throws Exception {
        try (TestFleet fleet = new TestFleet(dir, AdminApiTest.ADMIN, AdminApiTest.ENV)) {
            Http viewer = new Http(fleet.url()).token(AdminApiTest.VIEWER);
            try (Stream stream = new Stream(viewer, "/api/v1/events?group=A", null)) {
                assertThat(stream.next().event()).isEqualTo("snapshot");
                // What the bus hands the stream when a consumer of process 1 reports items, much faster than
                // the stream's coalescing window.
                var consumer = new org.distarch.event.ProcessIdentity(1, 1, 1, "A", "localhost", "a",
                        org.distarch.event.ProcessRole.CONSUMER);
                var now = java.time.Instant.ofEpochMilli(1_700_000_000_123L);
                int burst = 200;
                for (int i = 0; i < burst; i++) {
                    fleet.stream.onEvent(new org.distarch.event.QueueEvent.ItemReceived(now, consumer, "o" + i, 1,
                            "{\"n\":" + i + "}", false));
                }
                List<Message> seen = stream.until(m -> m.event().equals("process") && m.data().path("id").asInt() == 1
                        && m.data().path("event").path("itemId").asText().equals("o" + (burst - 1)));
                List<Message> forOne = seen.stream()
                        .filter(m -> m.event().equals("process") && m.data().path("id").asInt() == 1).toList();
                assertThat(forOne).as("coalesced: far fewer messages than events").hasSizeLessThan(burst / 2);
                JsonNode event = forOne.get(forOne.size() - 1).data().path("event");
                assertThat(event.path("event").asText()).isEqualTo("queue_item_received");
                assertThat(event.path("time").asLong()).isEqualTo(1_700_000_000_123L);
                assertThat(event.path("item").asText()).isEqualTo("{\"n\":" + (burst - 1) + "}");
                assertThat(event.path("process").path("id").asInt()).isEqualTo(1);
                assertThat(forOne.get(forOne.size() - 1).data().path("process").path("group").asText())
                        .as("with the process's row").isEqualTo("A");
                List<Long> ids = seen.stream().map(m -> Long.parseLong(m.id().substring(m.id().lastIndexOf('-') + 1)))
                        .toList();
                assertThat(ids).as("ids in order").isSorted();
            }
        }
    }

    @Test
    void theStreamRefusesUnknownParameters() throws Exception {
        try (TestFleet fleet = new TestFleet(dir, AdminApiTest.ADMIN, AdminApiTest.ENV)) {
            Http.Answer answer = new Http(fleet.url()).token(AdminApiTest.VIEWER).get("/api/v1/events?sort=id");
            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.error()).startsWith("unknown parameter \"sort\"");
        }
    }
}
