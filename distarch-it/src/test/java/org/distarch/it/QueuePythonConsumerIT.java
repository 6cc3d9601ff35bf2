package org.distarch.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.distarch.it.QueueGroupsIT.awaitLines;
import static org.distarch.it.QueueGroupsIT.awaitUntil;
import static org.distarch.it.QueueGroupsIT.freePort;
import static org.distarch.it.QueueGroupsIT.read;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A non-Java process takes part in a queue group: the testkit's {@code queue-consumer.py}, written from
 * docs/queue-protocol.md alone, consumes the Java feeder's items over the documented frames, with a shared
 * secret (so the HMAC handshake is exercised), and reports its items to the master's listeners.
 */
@ExtendWith(NoStrayProcesses.class)
class QueuePythonConsumerIT {

    private static final Duration LIMIT = Duration.ofSeconds(90);
    private static final int ITEMS = 30;

    @TempDir
    Path dir;

    @Test
    void pythonConsumersHandleTheJavaFeedersItemsWithASharedSecret() throws Exception {
        assumeThat(org.distarch.launch.local.Which.find("python3")).as("python3 is installed").isNotNull();
        Path consumer = ShellWorkers.copy(dir, "queue-consumer.py");
        int port = freePort();
        Path outcomes = dir.resolve("outcomes.txt");
        String yaml = """
                distributed_architecture:
                  queue_groups:
                    G:
                      command: test:queue
                      params: {items: %d, outcomes: "%s", min_consumers: 2}
                      local_feeder: {bind_to: 127.0.0.1, port: %d}
                      consumers:
                        local:
                          instances_count: 2
                          host: 127.0.0.1
                          port: %d
                          bin_path: %s
                """.formatted(ITEMS, outcomes, port, port, consumer);
        Path config = dir.resolve("distarch.yaml");
        Files.writeString(config, yaml);
        List<String> args = List.of("run-master", "--config", config.toString());
        try (MasterRun run = MasterRun.startRaw(dir, args, "DISTARCH_QUEUE_SECRET=py-it-s3cret")) {
            awaitLines(outcomes, ITEMS, LIMIT, run);

            // Every item has exactly one outcome: "py refuses 7" for the texts containing a 7, ok for the rest.
            List<String> expected = new ArrayList<>();
            for (int n = 1; n <= ITEMS; n++) {
                expected.add(Integer.toString(n).contains("7") ? "error item-" + n + " py refuses 7" : "ok item-" + n);
            }
            long refused = expected.stream().filter(l -> l.startsWith("error ")).count(); // 7, 17, 27
            assertThat(read(outcomes)).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(read(outcomes).stream().map(l -> l.split(" ")[1])
                    .collect(Collectors.groupingBy(Function.identity(), Collectors.counting())))
                    .hasSize(ITEMS).allSatisfy((id, count) -> assertThat(count).as(id).isEqualTo(1));

            // The master reads the consumers' lines on its own threads: let it catch up with the feeder's file.
            awaitUntil(() -> run.lines().stream().filter(l -> l.contains("] py handled item-")).count() == ITEMS
                    && run.eventLines().stream().filter(e -> e.startsWith("queue_item_handled ")
                            || e.startsWith("queue_item_failed ")).count() == ITEMS
                    && run.eventLines().stream().filter(e -> e.startsWith("queue_item_received ")).count() == ITEMS,
                    run);

            // The Python consumers (processes 2 and 3) printed their lines under the master's consumer prefix,
            // and both took part (the feeder waited for both before handing anything out).
            List<String> lines = run.lines();
            for (int id = 2; id <= 3; id++) {
                String prefix = "[G] [localhost] [Consumer - test:queue/" + id + "/" + id + "] ";
                assertThat(lines).anyMatch(l -> l.contains(prefix + "Connected to "));
                assertThat(lines).anyMatch(l -> l.contains(prefix + "py handled item-"));
            }
            assertThat(lines).filteredOn(l -> l.contains("] py handled item-")).hasSize(ITEMS)
                    .allMatch(l -> l.contains("[G] [localhost] [Consumer - test:queue/"));
            assertThat(lines).anyMatch(l -> l.contains("[G] [localhost] [Consumer - test:queue/")
                    && l.contains("] py handled item-17 payload={\"n\":17,\"text\":\"Item 17\"}"));
            assertThat(lines).noneMatch(l -> l.contains("@@distarch"));
            assertThat(lines).noneMatch(l -> l.contains("authentication failed"));

            // Events: one received per item from the consumers (ids 2 and 3), and one handled or failed per item
            // from the feeder (id 1), which alone knows the outcome.
            List<String> events = run.eventLines();
            List<String> handled = events.stream().filter(e -> e.startsWith("queue_item_handled ")).toList();
            List<String> failed = events.stream().filter(e -> e.startsWith("queue_item_failed ")).toList();
            assertThat(handled).hasSize((int) (ITEMS - refused))
                    .allMatch(e -> e.matches("queue_item_handled 1 localhost item-\\d+ 1"));
            assertThat(failed).extracting(e -> e.replaceFirst("^queue_item_failed 1 ", ""))
                    .containsExactlyInAnyOrder("localhost item-7 1 py refuses 7", "localhost item-17 1 py refuses 7",
                            "localhost item-27 1 py refuses 7");
            assertThat(events.stream().filter(e -> e.startsWith("queue_item_received ")).toList()).hasSize(ITEMS)
                    .allMatch(e -> e.matches("queue_item_received [23] localhost item-\\d+ 1"));
            Map<String, Long> perConsumer = events.stream().filter(e -> e.startsWith("queue_item_received "))
                    .collect(Collectors.groupingBy(e -> e.split(" ")[1], Collectors.counting()));
            assertThat(perConsumer).containsOnlyKeys("2", "3");

            run.process.destroy(); // SIGTERM: the feeder stops, the Python consumers finish and exit 0
            assertThat(run.awaitExit(LIMIT)).isZero();
            assertThat(run.lines()).anyMatch(l -> l.contains("[Feeder - test:queue/1/1] Feeder done: " + ITEMS
                    + " handed out, " + (ITEMS - refused) + " succeeded, " + refused + " failed"));
            assertThat(run.eventLines()).contains("process_stopped 2 STOPPED 0", "process_stopped 3 STOPPED 0");
            assertThat(read(outcomes)).as("no outcome after the end").hasSize(ITEMS);
        }
    }

    /**
     * A Python consumer stopped in the middle of a stream, a window of 32 on its way: it says leave, handles what
     * was already sent until the feeder's stop, and exits; without redelivery an item lost in flight would fail,
     * and none does. The other two carry on to the end (the feeder hands out while two are connected).
     */
    @Test
    void aPythonConsumerStoppedMidStreamLosesNothingInFlight() throws Exception {
        assumeThat(org.distarch.launch.local.Which.find("python3")).as("python3 is installed").isNotNull();
        Path consumer = ShellWorkers.copy(dir, "queue-consumer.py");
        int port = freePort();
        Path outcomes = dir.resolve("outcomes.txt");
        int items = 3000;
        String yaml = """
                distributed_architecture:
                  queue_groups:
                    G:
                      command: test:queue
                      params: {items: %d, outcomes: "%s", min_consumers: 2}
                      prefetch: 32
                      local_feeder: {bind_to: 127.0.0.1, port: %d}
                      consumers:
                        local:
                          instances_count: 3
                          host: 127.0.0.1
                          port: %d
                          bin_path: %s
                """.formatted(items, outcomes, port, port, consumer);
        try (MasterRun run = MasterRun.start(dir, yaml)) {
            awaitUntil(() -> {
                try {
                    return read(outcomes).size() >= 300 && run.lines().stream()
                            .anyMatch(l -> l.contains("[Consumer - test:queue/2/2] py handled item-"));
                } catch (java.io.IOException e) {
                    return false;
                }
            }, run);
            Cli stop = Cli.run(dir, "stop", "2");
            assertThat(stop.exit()).as(stop.err()).isZero();
            // It ends on its own time: the other two may have finished the stream by then.
            run.awaitLine(l -> l.contains("[G] [localhost] [Consumer - test:queue/2/2] Stopped ("), LIMIT);
            awaitLines(outcomes, items, LIMIT, run);
            assertThat(read(outcomes)).hasSize(items)
                    .allMatch(l -> l.startsWith("ok item-") || l.endsWith(" py refuses 7"));
        }
    }
}
