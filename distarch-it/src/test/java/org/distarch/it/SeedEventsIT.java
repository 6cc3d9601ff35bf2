package org.distarch.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.distarch.event.DistarchEvent;
import org.distarch.event.MasterEvent;
import org.distarch.event.ProcessEvent;
import org.distarch.event.ProcessIdentity;
import org.distarch.event.ProcessRole;
import org.distarch.event.QueueEvent;
import org.distarch.it.hosts.TestHosts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every event of the seed's list, heard by a listener of the master (the JSON recorder: each event whole, as
 * {@code EventCodec} gives it) with its payload, from this machine and from a remote host: the master's own
 * (and its remote launcher's, remote true), each process's life, a silent process timed out, and a queue
 * group's items received, handled and one failed.
 */
@ExtendWith(NoStrayProcesses.class)
class SeedEventsIT {

    @RegisterExtension
    static final TestHosts HOSTS = TestHosts.of(1);

    private static final Duration LIMIT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @Test
    void everySeedEventReachesTheListenerWithItsPayloadFromTheMasterAndTheRemoteHost() throws Exception {
        int port = QueueGroupsIT.freePort();
        String address = HOSTS.masterAddress();
        String yaml = """
                distributed_architecture:
                  groups:
                    Ticks:
                      command: app:test-command
                      params: {Param1: Value1, Param2: Value2}
                      local: {instances_count: 1}
                      remote: [{hosts: [da-h1]}]
                    Silent:
                      command: test:scripted
                      timeout: 5
                      stop_timeout: 1
                      params: {script: ["say going quiet", "silent 600"]}
                      remote: [{hosts: [da-h1]}]
                  queue_groups:
                    Items:
                      command: app:test-queue-command
                      params: {Items: 6, FailItem: 2, Consumers: 2}
                      local_feeder: {bind_to: %s, port: %d}
                      consumers:
                        local: {instances_count: 1, host: %s}
                        remote: [{host: %s, hosts: [da-h1]}]
                """.formatted(address, port, address, address);
        Files.writeString(dir.resolve("distarch.yaml"), yaml);
        Path json = dir.resolve("events.json");
        List<String> args = List.of("run-master", "--config", dir.resolve("distarch.yaml").toString(),
                "--ssh-config", HOSTS.sshConfig().toString());
        ProcessIdentity localTick = new ProcessIdentity(1, 1, 2, "Ticks", "localhost", "app:test-command", ProcessRole.WORKER);
        ProcessIdentity remoteTick = new ProcessIdentity(2, 2, 2, "Ticks", "da-h1", "app:test-command", ProcessRole.WORKER);
        ProcessIdentity silent = new ProcessIdentity(3, 1, 1, "Silent", "da-h1", "test:scripted", ProcessRole.WORKER);
        ProcessIdentity feeder = new ProcessIdentity(4, 1, 3, "Items", "localhost", "app:test-queue-command",
                ProcessRole.FEEDER);
        ProcessIdentity localConsumer = new ProcessIdentity(5, 2, 3, "Items", "localhost", "app:test-queue-command",
                ProcessRole.CONSUMER);
        ProcessIdentity remoteConsumer = new ProcessIdentity(6, 3, 3, "Items", "da-h1", "app:test-queue-command",
                ProcessRole.CONSUMER);
        List<ProcessIdentity> all = List.of(localTick, remoteTick, silent, feeder, localConsumer, remoteConsumer);

        try (MasterRun run = MasterRun.startRaw(dir, args, "DISTARCH_TEST_EVENTS_JSON=" + json)) {
            await(run, json, e -> e instanceof ProcessEvent.TimedOut t && t.process().equals(silent));
            await(run, json, e -> e instanceof ProcessEvent.Stopped s && s.process().equals(silent)
                    && s.outcome() == ProcessEvent.Outcome.RESTARTING);
            awaitCount(run, json, e -> e instanceof ProcessEvent.Started s && s.process().equals(silent), 2);
            await(run, json, e -> e instanceof QueueEvent.ItemFailed);
            awaitCount(run, json, e -> e instanceof QueueEvent.ItemHandled, 5);
            await(run, json, e -> e instanceof ProcessEvent.Running r && r.process().equals(remoteTick));
            await(run, json, e -> e instanceof MasterEvent.Running m && m.remote());
            run.process.toHandle().destroy();
            assertThat(run.awaitExit(LIMIT)).isZero();
            List<DistarchEvent> events = SeedFleet.events(json);

            // master_*: the main master first and last; each remote launcher's too, remote true, its host set.
            assertThat(events.get(0)).isInstanceOfSatisfying(MasterEvent.Starting.class, s -> assertThat(s.remote()).isFalse());
            assertThat(events.get(events.size() - 1)).isInstanceOfSatisfying(MasterEvent.Stopped.class, s -> {
                assertThat(s.remote()).isFalse();
                assertThat(s.exitCode()).isZero();
            });
            assertThat(of(events, MasterEvent.Started.class)).anySatisfy(s -> {
                assertThat(s.remote()).isFalse();
                assertThat(s.processCount()).isEqualTo(6);
            });
            assertThat(of(events, MasterEvent.Running.class)).anyMatch(r -> !r.remote() && r.runningProcesses() > 0);
            for (Class<? extends MasterEvent> type : List.of(MasterEvent.Starting.class, MasterEvent.Started.class,
                    MasterEvent.Running.class, MasterEvent.Stopped.class)) {
                assertThat(of(events, type)).as("%s of da-h1's launcher", type.getSimpleName())
                        .anyMatch(m -> m.remote() && m.host().equals("da-h1"));
            }

            // process_*: created, started, running (the params line), stopped, for local and remote alike.
            for (ProcessIdentity p : all) {
                int created = indexOf(events, e -> e instanceof ProcessEvent.Created c && c.process().equals(p));
                int started = indexOf(events, e -> e instanceof ProcessEvent.Started s && s.process().equals(p) && s.pid() > 0);
                int stopped = indexOf(events, e -> e instanceof ProcessEvent.Stopped s && s.process().equals(p)
                        && s.outcome() == ProcessEvent.Outcome.STOPPED);
                assertThat(created).as("process_created of %s", p.display()).isGreaterThanOrEqualTo(0);
                assertThat(started).as("process_started of %s after its creation", p.display()).isGreaterThan(created);
                assertThat(stopped).as("process_stopped of %s after its start", p.display()).isGreaterThan(started);
            }
            for (ProcessIdentity p : List.of(localTick, remoteTick)) {
                assertThat(of(events, ProcessEvent.Running.class)).anyMatch(r -> r.process().equals(p)
                        && r.line().equals("Value1 Value2"));
            }
            assertThat(of(events, ProcessEvent.Running.class)).anyMatch(r -> r.process().equals(silent)
                    && r.line().equals("going quiet"));

            // process_timedout: the silent remote process, after its 5 s timeout; then restarted (not given up).
            assertThat(of(events, ProcessEvent.TimedOut.class)).first().satisfies(t -> {
                assertThat(t.process()).isEqualTo(silent);
                assertThat(t.silence()).isGreaterThanOrEqualTo(Duration.ofSeconds(5));
                assertThat(t.consecutiveTimeouts()).isEqualTo(1);
            });
            assertThat(of(events, ProcessEvent.Stopped.class)).anyMatch(s -> s.process().equals(silent)
                    && s.outcome() == ProcessEvent.Outcome.RESTARTING);

            // queue_item_*: received by the consumers on each host, one outcome per item from the feeder.
            assertThat(of(events, QueueEvent.ItemReceived.class)).extracting(r -> r.process().host())
                    .contains("localhost", "da-h1");
            assertThat(of(events, QueueEvent.ItemReceived.class)).allSatisfy(r -> {
                assertThat(r.process()).isIn(localConsumer, remoteConsumer);
                assertThat(r.attempt()).isEqualTo(1);
            }).extracting(QueueEvent.ItemReceived::itemId).containsExactlyInAnyOrder(
                    "item-1", "item-2", "item-3", "item-4", "item-5", "item-6");
            assertThat(of(events, QueueEvent.ItemHandled.class)).allSatisfy(h -> {
                assertThat(h.process()).isEqualTo(feeder);
                assertThat(h.consumerId()).isIn(5, 6);
                assertThat(h.item()).contains("\"text\":\"Item ");
            }).extracting(QueueEvent.ItemHandled::itemId).containsExactlyInAnyOrder(
                    "item-1", "item-3", "item-4", "item-5", "item-6");
            assertThat(of(events, QueueEvent.ItemFailed.class)).singleElement().satisfies(f -> {
                assertThat(f.process()).isEqualTo(feeder);
                assertThat(f.itemId()).isEqualTo("item-2");
                assertThat(f.error()).contains("cannot handle Item 2");
                assertThat(f.consumerId()).isIn(5, 6);
                assertThat(f.item()).contains("\"number\":2");
            });
            SeedFleet.assertNothingLeft(HOSTS);
        }
    }

    private static <T> List<T> of(List<DistarchEvent> events, Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static int indexOf(List<DistarchEvent> events, Predicate<DistarchEvent> match) {
        for (int i = 0; i < events.size(); i++) {
            if (match.test(events.get(i))) {
                return i;
            }
        }
        return -1;
    }

    private static void await(MasterRun run, Path json, Predicate<DistarchEvent> match) throws InterruptedException {
        awaitCount(run, json, match, 1);
    }

    private static void awaitCount(MasterRun run, Path json, Predicate<DistarchEvent> match, int count)
            throws InterruptedException {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (SeedFleet.events(json).stream().filter(match).count() >= count) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("expected events did not come within " + LIMIT + "; log:\n" + run.tail());
    }
}
