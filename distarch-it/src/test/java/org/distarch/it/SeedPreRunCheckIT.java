package org.distarch.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.distarch.event.DistarchEvent;
import org.distarch.event.ProcessEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's pre-run checks with its example commands: a group (and a queue group) whose check fails is not
 * run and the master says so; the other groups run. Local only: the check runs in the master.
 */
@ExtendWith(NoStrayProcesses.class)
class SeedPreRunCheckIT {

    private static final Duration LIMIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void aGroupWhosePreRunCheckFailsIsNotRunAndTheOthersAre() throws Exception {
        String yaml = """
                distributed_architecture:
                  groups:
                    Refused:
                      command: app:test-command
                      params: {PreRunCheck: fail, Param1: Never, Param2: printed}
                      local: {instances_count: 2}
                    Accepted:
                      command: app:test-command-2
                      params: {Param1: Value1, Param2: Value2}
                      local: {instances_count: 1}
                  queue_groups:
                    Refused Queue:
                      command: app:test-queue-command
                      params: {PreRunCheck: fail}
                      local_feeder: {bind_to: 127.0.0.1, port: %d}
                      consumers: {local: {instances_count: 1, host: 127.0.0.1}}
                """.formatted(QueueGroupsIT.freePort());
        Path json = dir.resolve("events.json");
        java.nio.file.Files.writeString(dir.resolve("distarch.yaml"), yaml);
        try (MasterRun run = MasterRun.startRaw(dir, List.of("run-master", "--config",
                dir.resolve("distarch.yaml").toString()), "DISTARCH_TEST_EVENTS_JSON=" + json)) {
            run.awaitLine(l -> l.contains("[Accepted] [localhost] [app:test-command-2/") && l.endsWith("] Value1 Value2"),
                    LIMIT);
            List<String> lines = run.lines();
            // The check's own reason (its logger), then the master's verdict, for each refused group.
            assertThat(lines).anyMatch(l -> l.contains(" ERROR [Refused] [localhost] [master] Refused refuses to run: PreRunCheck is fail"));
            assertThat(lines).anyMatch(l -> l.contains("[master] Pre-run check of group \"Refused\" failed: the group is skipped"));
            assertThat(lines).anyMatch(l -> l.contains(" ERROR [Refused Queue] [localhost] [master] Refused Queue refuses to run: PreRunCheck is fail"));
            assertThat(lines).anyMatch(l -> l.contains("[master] Pre-run check of group \"Refused Queue\" failed: the group is skipped"));
            run.process.toHandle().destroy();
            assertThat(run.awaitExit(LIMIT)).as("a pre-run check failed").isEqualTo(1);

            List<DistarchEvent> events = SeedFleet.events(json);
            assertThat(events).filteredOn(e -> e instanceof ProcessEvent.Created)
                    .extracting(e -> ((ProcessEvent) e).process().group()).containsExactly("Accepted");
            assertThat(run.lines()).noneMatch(l -> l.contains("[Refused] [localhost] [app:") || l.contains("[Refused Queue] [localhost] [")
                    && !l.contains("[Refused Queue] [localhost] [master]")
                    || l.contains("Never printed"));
        }
    }
}
