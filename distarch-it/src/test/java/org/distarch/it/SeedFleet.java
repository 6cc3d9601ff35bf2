package org.distarch.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.distarch.event.DistarchEvent;
import org.distarch.event.EventCodec;
import org.distarch.event.ProcessEvent;
import org.distarch.event.ProcessIdentity;
import org.distarch.event.ProcessRole;
import org.distarch.it.hosts.TestHosts;

/**
 * What the seed README says its example configurations run (complete and minimal alike, server-host-N read
 * as da-hN), and the checks the Seed*IT share: every process by its identity, its log prefix and its params
 * line, and nothing left on any host after the stop.
 */
final class SeedFleet {

    private SeedFleet() {}

    static final String FIRST = "First Group";
    static final String SECOND = "Second Group";
    /** Sic: the seed's configuration spells it so, and a configuration written for the seed loads unchanged. */
    static final String THIRD = "Thrird Group";
    static final String QUEUE_COMMAND = "app:test-queue-command";

    /**
     * Ids across all groups in configuration order, group ids inside each group, host after host (the seed's
     * semantics): First Group 8 (2 local, 2 on each of da-h1..3), Second Group 4 (1 local, 1 on each host),
     * Third Group the feeder first, then 1 local consumer and 2 on each of da-h1 and da-h2.
     */
    static final List<ProcessIdentity> EXPECTED = List.of(
            worker(1, 1, 8, FIRST, "localhost", "app:test-command"),
            worker(2, 2, 8, FIRST, "localhost", "app:test-command"),
            worker(3, 3, 8, FIRST, "da-h1", "app:test-command"),
            worker(4, 4, 8, FIRST, "da-h1", "app:test-command"),
            worker(5, 5, 8, FIRST, "da-h2", "app:test-command"),
            worker(6, 6, 8, FIRST, "da-h2", "app:test-command"),
            worker(7, 7, 8, FIRST, "da-h3", "app:test-command"),
            worker(8, 8, 8, FIRST, "da-h3", "app:test-command"),
            worker(9, 1, 4, SECOND, "localhost", "app:test-command-2"),
            worker(10, 2, 4, SECOND, "da-h1", "app:test-command-2"),
            worker(11, 3, 4, SECOND, "da-h2", "app:test-command-2"),
            worker(12, 4, 4, SECOND, "da-h3", "app:test-command-2"),
            new ProcessIdentity(13, 1, 6, THIRD, "localhost", QUEUE_COMMAND, ProcessRole.FEEDER),
            new ProcessIdentity(14, 2, 6, THIRD, "localhost", QUEUE_COMMAND, ProcessRole.CONSUMER),
            new ProcessIdentity(15, 3, 6, THIRD, "da-h1", QUEUE_COMMAND, ProcessRole.CONSUMER),
            new ProcessIdentity(16, 4, 6, THIRD, "da-h1", QUEUE_COMMAND, ProcessRole.CONSUMER),
            new ProcessIdentity(17, 5, 6, THIRD, "da-h2", QUEUE_COMMAND, ProcessRole.CONSUMER),
            new ProcessIdentity(18, 6, 6, THIRD, "da-h2", QUEUE_COMMAND, ProcessRole.CONSUMER));

    private static ProcessIdentity worker(int id, int groupId, int count, String group, String host, String command) {
        return new ProcessIdentity(id, groupId, count, group, host, command, ProcessRole.WORKER);
    }

    /** The seed's prefix: {@code [group] [host] [display]}. */
    static String prefix(ProcessIdentity p) {
        return "[" + p.group() + "] [" + p.host() + "] [" + p.display() + "]";
    }

    /** Every event the JSON recorder wrote so far, decoded. */
    static List<DistarchEvent> events(Path jsonEvents) {
        try {
            if (!Files.exists(jsonEvents)) {
                return List.of();
            }
            List<DistarchEvent> events = new ArrayList<>();
            String text = Files.readString(jsonEvents, StandardCharsets.UTF_8);
            // Read while the master writes: a last line without its newline is not complete yet.
            text = text.substring(0, text.lastIndexOf('\n') + 1);
            for (String line : text.split("\n")) {
                if (!line.isBlank()) {
                    events.add(EventCodec.decode(line));
                }
            }
            return events;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits for the whole fleet: each process started with exactly its expected identity, each worker printing
     * "Value1 Value2" under its prefix, each remote consumer connected to the feeder at {@code feeder} (host:port), the local one to its UNIX socket.
     */
    static void awaitFleet(MasterRun run, Path jsonEvents, String feeder, Duration limit) throws InterruptedException {
        try {
            awaitEach(run, feeder, limit);
        } catch (AssertionError e) {
            // The params lines (one a second per worker) would hide the rest of the log.
            throw new AssertionError(e.getMessage() + "\nlog without params lines:\n" + String.join("\n",
                    run.lines().stream().filter(l -> !l.endsWith("] Value1 Value2")).toList()), e);
        }
        // The events come through the recorder's own thread: they may trail the log lines just awaited.
        QueueGroupsIT.awaitUntil(() -> startedIdentities(jsonEvents).size() >= EXPECTED.size(), run);
        assertThat(startedIdentities(jsonEvents)).as("process_started identities").containsExactlyElementsOf(EXPECTED);
    }

    private static List<ProcessIdentity> startedIdentities(Path jsonEvents) {
        return events(jsonEvents).stream()
                .filter(e -> e instanceof ProcessEvent.Started).map(e -> ((ProcessEvent.Started) e).process())
                .sorted(java.util.Comparator.comparingInt(ProcessIdentity::id)).toList();
    }

    private static void awaitEach(MasterRun run, String feeder, Duration limit) throws InterruptedException {
        for (ProcessIdentity p : EXPECTED) {
            if (p.role() == ProcessRole.WORKER) {
                run.awaitLine(l -> l.endsWith(prefix(p) + " Value1 Value2"), limit);
            } else if (p.role() == ProcessRole.CONSUMER) {
                // A consumer on the feeder's own machine takes the feeder's UNIX socket (as the seed's does).
                String to = p.host().equals("localhost") ? "unix:" : feeder + " ";
                run.awaitLine(l -> l.contains(prefix(p) + " Connected to " + to), limit);
            } else {
                run.awaitLine(l -> l.contains(prefix(p) + " Waiting for new connections"), limit);
            }
        }
    }

    /** After the stop: no worker and no relay on any host. */
    static void assertNothingLeft(TestHosts hosts) {
        for (String host : hosts.names()) {
            assertThat(hosts.processesOn(host)).as("processes left on %s", host)
                    .noneMatch(p -> p.commandLine().contains("TestApp") || p.commandLine().contains("__relay"));
        }
    }
}
