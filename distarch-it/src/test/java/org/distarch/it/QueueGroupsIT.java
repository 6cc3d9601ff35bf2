package org.distarch.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Queue groups on this machine, with real feeder and consumer processes: the seed's three-item example, failed
 * items, and 100,000 items through consumers killed with SIGKILL at random.
 */
@ExtendWith(NoStrayProcesses.class)
class QueueGroupsIT {

    private static final Duration LIMIT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static List<String> read(Path file) throws IOException {
        return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
    }

    static void awaitLines(Path file, int count, Duration limit, MasterRun run) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (read(file).size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + read(file).size() + " of " + count + " lines in " + file
                        + " within " + limit + "; log:\n" + run.tail());
            }
            Thread.sleep(100);
        }
    }

    @Test
    void theSeedsThreeItemExampleFeedsEveryItemToTheConsumersOnce() throws Exception {
        int port = freePort();
        Path outcomes = dir.resolve("outcomes.txt");
        String yaml = """
                distributed_architecture:
                  queue_groups:
                    Third Group:
                      command: test:queue
                      params: {items: 3, outcomes: "%s"}
                      local_feeder:
                        bind_to: 127.0.0.1
                        port: %d
                      consumers:
                        local:
                          instances_count: 2
                          host: 127.0.0.1
                          port: %d
                """.formatted(outcomes, port, port);
        try (MasterRun run = MasterRun.start(dir, yaml)) {
            awaitLines(outcomes, 3, LIMIT, run);
            run.awaitLine(l -> l.contains("[Third Group] [localhost] [Feeder - test:queue/1/1] Feeder queue is empty"),
                    LIMIT);
            assertThat(read(outcomes)).containsExactlyInAnyOrder("ok item-1", "ok item-2", "ok item-3");
            List<String> lines = run.lines();
            assertThat(lines).anyMatch(l -> l.contains("[Third Group] [localhost] [Feeder - test:queue/1/1] "
                    + "Waiting for new connections"));
            for (int id = 2; id <= 3; id++) {
                // awaited: one consumer may handle all three items before the other has connected (a loaded machine)
                String prefix = "[Third Group] [localhost] [Consumer - test:queue/" + id + "/" + id + "] ";
                run.awaitLine(l -> l.contains(prefix + "Connected to "), LIMIT);
            }
            awaitUntil(() -> run.lines().stream().filter(l -> l.contains("] Handled Item ")).count() == 3, run);

            // Events: every item received once by a consumer (2 or 3) and handled once, as the feeder (1) recorded
            // it; the consumers started after the feeder listened.
            awaitEvents(run, "queue_item_handled ", 3);
            awaitEvents(run, "queue_item_received ", 3); // a consumer's, not the feeder's: no order between them
            List<String> events = run.eventLines();
            assertThat(events.stream().filter(e -> e.startsWith("queue_item_handled ")))
                    .allMatch(e -> e.startsWith("queue_item_handled 1 localhost "))
                    .extracting(e -> e.split(" ")[3]).containsExactlyInAnyOrder("item-1", "item-2", "item-3");
            assertThat(events.stream().filter(e -> e.startsWith("queue_item_received ")))
                    .hasSize(3).allMatch(e -> e.matches("queue_item_received [23] localhost item-\\d 1"));
            int listening = indexOf(events, "queue_feeder_listening 1 ");
            assertThat(listening).isGreaterThanOrEqualTo(0);
            assertThat(indexOf(events, "process_starting 2")).isGreaterThan(listening);
            assertThat(indexOf(events, "process_starting 3")).isGreaterThan(listening);

            run.process.destroy(); // SIGTERM: the feeder drains, every process stops cleanly
            assertThat(run.awaitExit(LIMIT)).isZero();
            assertThat(run.lines()).anyMatch(l -> l.contains("[Feeder - test:queue/1/1] Feeder done: 3 handed out, "
                    + "3 succeeded, 0 failed"));
        }
    }

    /** The master records events on its own threads: waits until {@code count} events of a kind are in. */
    static void awaitEvents(MasterRun run, String prefix, int count) throws Exception {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (run.eventLines().stream().filter(e -> e.startsWith(prefix)).count() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("fewer than " + count + " " + prefix + "events; log:\n" + run.tail());
            }
            Thread.sleep(50);
        }
    }

    /** Waits (at most LIMIT) until the condition holds: what the master logs and publishes comes on its threads. */
    static void awaitUntil(BooleanSupplier condition, MasterRun run) throws InterruptedException {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + LIMIT + "; events:\n"
                        + String.join("\n", run.eventLines()) + "\nlog:\n" + run.tail());
            }
            Thread.sleep(100);
        }
    }

    private static int indexOf(List<String> events, String prefix) {
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void aFailingHandlerReportsTheErrorToTheFeederAndToListenersWithoutRedelivery() throws Exception {
        int port = freePort();
        Path outcomes = dir.resolve("outcomes.txt");
        String yaml = """
                distributed_architecture:
                  queue_groups:
                    Q:
                      command: test:queue
                      params: {items: 4, outcomes: "%s", fail: [item-2]}
                      redeliver: {max_attempts: 3}
                      local_feeder: {bind_to: 127.0.0.1, port: %d}
                      consumers:
                        local: {instances_count: 1, host: 127.0.0.1, port: %d}
                """.formatted(outcomes, port, port);
        try (MasterRun run = MasterRun.start(dir, yaml)) {
            awaitLines(outcomes, 4, LIMIT, run);
            assertThat(read(outcomes)).containsExactlyInAnyOrder("ok item-1", "error item-2 refused item-2",
                    "ok item-3", "ok item-4");
            run.awaitLine(l -> l.contains("[Q] [localhost] [Feeder - test:queue/1/1] Item item-2 failed: refused item-2"),
                    LIMIT);
            awaitEvents(run, "queue_item_failed ", 1);
            assertThat(run.eventLines()).filteredOn(e -> e.startsWith("queue_item_failed "))
                    .containsExactly("queue_item_failed 1 localhost item-2 1 refused item-2");
            run.process.destroy();
            assertThat(run.awaitExit(LIMIT)).isZero();
        }
    }

    /**
     * A consumer stuck on an item says nothing, so the master times it out and kills it; the item is lost with
     * it, handed to another consumer, which sticks too; after the last attempt the feeder fails it, once.
     */
    @Test
    void anItemThatHangsItsConsumersPastTheTimeoutFailsOnceAfterItsLastAttempt() throws Exception {
        int port = freePort();
        Path outcomes = dir.resolve("outcomes.txt");
        String yaml = """
                distributed_architecture:
                  queue_groups:
                    Q:
                      command: test:queue
                      timeout: 5
                      stop_timeout: 1
                      params: {items: 4, outcomes: "%s", hang: [item-2]}
                      redeliver: {max_attempts: 2}
                      restart: {initial_backoff: 0.1, max_failures: 100}
                      local_feeder: {bind_to: 127.0.0.1, port: %d}
                      consumers:
                        local: {instances_count: 2, host: 127.0.0.1, port: %d}
                """.formatted(outcomes, port, port);
        try (MasterRun run = MasterRun.start(dir, yaml)) {
            awaitLines(outcomes, 4, LIMIT, run);
            List<String> lines = read(outcomes);
            assertThat(lines).contains("ok item-1", "ok item-3", "ok item-4");
            assertThat(lines).filteredOn(l -> l.contains("item-2")).singleElement()
                    .satisfies(l -> assertThat(l).startsWith("error item-2 lost with consumer "));
            // The feeder writes an outcome before the master has read, logged and published its line: wait for those.
            run.awaitLine(l -> l.contains("Consumer - test:queue/") && l.contains("Timeout reached"), LIMIT);
            run.awaitLine(l -> l.contains("Item item-2 lost with consumer ")
                    && l.contains("handing it out again (attempt 2 of 2)"), LIMIT);
            awaitEvents(run, "queue_item_failed 1 localhost item-2 2 lost with", 1);
            Thread.sleep(1000); // nothing more may come: the item is over
            assertThat(read(outcomes)).hasSize(4);
            run.process.destroy();
            assertThat(run.awaitExit(LIMIT)).isZero();
        }
    }

    /**
     * Q: 1,000 items of 1.5 s each through 3 consumers, their outcomes in {@code outcomes}; started, and once the
     * first item is handled, three are in flight.
     */
    private MasterRun startSlowQueue(Path outcomes, int port) throws Exception {
        MasterRun run = MasterRun.start(dir, slowQueue(outcomes, port, 1500));
        run.awaitLine(l -> l.contains("[Q] [localhost] [Consumer - test:queue/") && l.contains("] Handled Item "),
                LIMIT);
        return run;
    }

    private static String slowQueue(Path outcomes, int port, int handleMillis) {
        return """
                distributed_architecture:
                  queue_groups:
                    Q:
                      command: test:queue
                      params: {items: 1000, outcomes: "%s", handle_ms: %d}
                      local_feeder: {bind_to: 127.0.0.1, port: %d}
                      consumers:
                        local: {instances_count: 3, host: 127.0.0.1, port: %d}
                """.formatted(outcomes, handleMillis, port, port);
    }

    /** Every item handed out succeeded, once: none was lost in flight. Returns how many were handed out. */
    private static long assertNothingLost(MasterRun run, Path outcomes) throws Exception {
        String done = run.awaitLine(l -> l.contains("Feeder done: "), LIMIT);
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("Feeder done: (\\d+) handed out, (\\d+) succeeded, (\\d+) failed").matcher(done);
        assertThat(m.find()).as(done).isTrue();
        long handed = Long.parseLong(m.group(1));
        assertThat(m.group(2)).as(done).isEqualTo(m.group(1));
        assertThat(m.group(3)).as(done).isEqualTo("0");
        assertThat(read(outcomes)).allMatch(l -> l.startsWith("ok item-")).hasSize((int) handed);
        // The consumers' lines come through pipes of their own: the last may be read after the feeder's.
        awaitUntil(() -> run.lines().stream().filter(l -> l.contains("] Handled Item ")).count() == handed, run);
        return handed;
    }

    /**
     * The slow queue's three consumers stopped, each only after its feeder had, as their lines starting with
     * {@code marker} say ("Stopped (", or "Restarting in " for a restart).
     */
    private static void assertConsumersStoppedAfterTheFeeder(MasterRun run, String marker) throws Exception {
        for (int c = 2; c <= 4; c++) {
            String consumer = "[Consumer - test:queue/" + c + "/" + c + "] " + marker;
            run.awaitLine(l -> l.contains(consumer), LIMIT);
        }
        List<String> lines = run.lines();
        int feederExit = indexOf(lines, l -> l.contains("[Feeder - test:queue/1/1] " + marker));
        for (int c = 2; c <= 4; c++) {
            String consumer = "[Consumer - test:queue/" + c + "/" + c + "] " + marker;
            assertThat(indexOf(lines, l -> l.contains(consumer))).as(consumer + ": after the feeder")
                    .isGreaterThan(feederExit);
        }
    }

    private static int indexOf(List<String> lines, java.util.function.Predicate<String> match) {
        for (int i = 0; i < lines.size(); i++) {
            if (match.test(lines.get(i))) {
                return i;
            }
        }
        throw new AssertionError("no such line in " + lines);
    }

    /** A stopping feeder hands out nothing more but waits for the items in flight, which then succeed. */
    @Test
    void stoppingTheMasterLetsItemsInFlightFinishAndNothingIsLost() throws Exception {
        Path outcomes = dir.resolve("outcomes.txt");
        try (MasterRun run = startSlowQueue(outcomes, freePort())) {
            run.process.destroy();
            assertThat(run.awaitExit(LIMIT)).isZero();
            assertNothingLost(run, outcomes);
        }
    }

    /**
     * The same for an operator's stop of the group: the feeder stops first and the consumers, held at once, only
     * once it has, so none closes on an item being sent to it; every item handed out succeeds, and the master
     * runs on with the group stopped and held.
     */
    @Test
    void anOperatorsStopOfAQueueGroupLetsItemsInFlightFinishAndNothingIsLost() throws Exception {
        Path outcomes = dir.resolve("outcomes.txt");
        try (MasterRun run = startSlowQueue(outcomes, freePort())) {
            Cli stop = Cli.run(dir, "stop", "Q");
            assertThat(stop.exit()).as(stop.err()).isZero();
            assertThat(stop.out()).contains("[Consumer - test:queue/2/2] (stopped by operator, after its feeder)");
            assertNothingLost(run, outcomes);
            assertConsumersStoppedAfterTheFeeder(run, "Stopped (");
            assertThat(run.process.isAlive()).as("the master runs on").isTrue();
        }
    }

    /**
     * The same for an operator's restart of the group: the consumers restart once the old feeder has stopped, so
     * the items in flight finish and none fails; then the group runs again.
     */
    @Test
    void anOperatorsRestartOfAQueueGroupLetsItemsInFlightFinishAndNothingIsLost() throws Exception {
        Path outcomes = dir.resolve("outcomes.txt");
        try (MasterRun run = startSlowQueue(outcomes, freePort())) {
            Cli restart = Cli.run(dir, "restart", "Q");
            assertThat(restart.exit()).as(restart.err()).isZero();
            assertThat(restart.out()).contains("[Consumer - test:queue/2/2] (restarted by operator, after its feeder)");
            long handed = assertNothingLost(run, outcomes);
            assertConsumersStoppedAfterTheFeeder(run, "Restarting in ");
            awaitUntil(() -> run.lines().stream().filter(l -> l.contains("] Handled Item ")).count() > handed, run);
        }
    }

    /**
     * The same for a reload that changes the group: its old feeder stops first and its old consumers once it
     * has, so the items in flight finish and none fails; then the new version runs.
     */
    @Test
    void aReloadThatChangesAQueueGroupLetsItemsInFlightFinishAndNothingIsLost() throws Exception {
        Path outcomes = dir.resolve("outcomes.txt");
        int port = freePort();
        try (MasterRun run = startSlowQueue(outcomes, port)) {
            Files.writeString(dir.resolve("distarch.yaml"), slowQueue(outcomes, port, 1400));
            Cli reload = Cli.run(dir, "reload");
            assertThat(reload.exit()).as(reload.err()).isZero();
            long handed = assertNothingLost(run, outcomes);
            assertConsumersStoppedAfterTheFeeder(run, "Stopped (");
            awaitUntil(() -> run.lines().stream().filter(l -> l.contains("] Handled Item ")).count() > handed, run);
        }
    }

    /**
     * The delivery test: 100,000 items through 4 consumers while consumers are killed with SIGKILL at
     * random (and restarted by the master). With redelivery on, every item succeeds exactly once: the feeder
     * reports one outcome per item, never two, never none.
     */
    @Test
    void hundredThousandItemsThroughConsumersKilledAtRandomEachSucceedExactlyOnce() throws Exception {
        throughConsumersKilledAtRandom(100_000, 8);
    }

    /**
     * The same under a window of 32: a consumer answers a run of quick items with one write ({@code done}s and
     * one {@code ready} for all their credits) and prints their lines together, so a kill loses more at once;
     * still one outcome and one handled event per item.
     */
    @Test
    void itemsThroughConsumersWithAWindowOf32KilledAtRandomEachSucceedExactlyOnce() throws Exception {
        throughConsumersKilledAtRandom(50_000, 32);
    }

    /**
     * Each item takes its handler 1 ms, so that the stream lasts (some 12 s for 50,000 items through 4
     * consumers) and the kills land while items are in flight. Without it a fast machine streamed 50,000 items
     * in half a second, the kills met consumers that were still connecting, and no item was handed out again
     * (CI).
     */
    private void throughConsumersKilledAtRandom(int items, int prefetch) throws Exception {
        int port = freePort();
        Path outcomes = dir.resolve("outcomes.txt");
        String yaml = """
                distributed_architecture:
                  queue_groups:
                    Bulk:
                      command: test:queue
                      params: {items: %d, outcomes: "%s", quiet: true, handle_ms: 1}
                      prefetch: %d
                      redeliver: {max_attempts: 20}
                      restart: {initial_backoff: 0.1, max_backoff: 0.5, max_failures: 1000}
                      local_feeder: {bind_to: 127.0.0.1, port: %d}
                      consumers:
                        local: {instances_count: 4, host: 127.0.0.1, port: %d}
                """.formatted(items, outcomes, prefetch, port, port);
        long seed = System.nanoTime();
        Random random = new Random(seed);
        int kills = 0;
        try (MasterRun run = MasterRun.start(dir, yaml)) {
            long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
            while (read(outcomes).size() < items) {
                assertThat(System.nanoTime()).as("all outcomes within 4 minutes (seed %d, %d kills); log:%n%s", seed,
                        kills, run.tail()).isLessThan(deadline);
                Thread.sleep(200 + random.nextInt(400));
                if (kills < 25) {
                    List<ProcessHandle> consumers = consumers(run);
                    if (!consumers.isEmpty()) {
                        ProcessHandle victim = consumers.get(random.nextInt(consumers.size()));
                        new ProcessBuilder("kill", "-KILL", Long.toString(victim.pid())).start().waitFor();
                        kills++;
                    }
                }
            }
            List<String> lines = read(outcomes);
            assertThat(lines).as("seed %d", seed).hasSize(items).allMatch(l -> l.startsWith("ok item-"));
            Map<String, Long> perItem = lines.stream().collect(Collectors.groupingBy(l -> l.substring(3),
                    HashMap::new, Collectors.counting()));
            assertThat(perItem).as("seed %d", seed).hasSize(items);
            assertThat(perItem.values()).allMatch(n -> n == 1);
            assertThat(kills).isGreaterThanOrEqualTo(5);
            run.process.destroy();
            assertThat(run.awaitExit(LIMIT)).isZero();
            // Kills really lost items in flight, which were handed out again.
            assertThat(run.lines()).anyMatch(l -> l.contains("handing it out again (attempt 2 of 20)"));
            assertThat(read(outcomes)).as("no outcome after the end").hasSize(items);
            eventsNeverSayHandledForAnItemTheFeederRedelivered(run, items);
            assertThat(run.lines()).anyMatch(l -> l.contains("Feeder done: ") && l.contains(items + " succeeded, 0 failed"));
        }
    }

    /**
     * Regression: consumers printed "handled" before their {@code done} reached the feeder, so a consumer
     * killed in between left a handled event for an item the feeder then handed out again, and a second one
     * after the redelivery. Now the feeder (process 1) prints the one outcome per item.
     */
    private static void eventsNeverSayHandledForAnItemTheFeederRedelivered(MasterRun run, int items) throws Exception {
        awaitEvents(run, "queue_item_handled ", items);
        List<String> handled = run.eventLines().stream().filter(e -> e.startsWith("queue_item_handled ")).toList();
        assertThat(handled).hasSize(items).allMatch(e -> e.startsWith("queue_item_handled 1 localhost "));
        assertThat(handled.stream().map(e -> e.split(" ")[3]).distinct().count()).isEqualTo(items);
        assertThat(run.eventLines()).noneMatch(e -> e.startsWith("queue_item_failed "));
    }

    /** The master's consumer processes, found by the role the master gave them in their environment. */
    static List<ProcessHandle> consumers(MasterRun run) {
        return run.process.descendants().filter(p -> {
            try {
                String env = Files.readString(Path.of("/proc/" + p.pid() + "/environ"), StandardCharsets.ISO_8859_1);
                return env.contains("DA_QUEUE_ROLE=consumer\0");
            } catch (IOException e) {
                return false;
            }
        }).toList();
    }
}
