package org.distarch.instance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.distarch.event.DistarchEvent;
import org.distarch.event.ProcessEvent;
import org.distarch.event.ProcessIdentity;
import org.distarch.event.ProcessRole;
import org.distarch.event.ExitStatus;
import org.junit.jupiter.api.Test;

class InstanceStateTest {

    private final List<DistarchEvent> events = new ArrayList<>();
    private final Instance instance = new Instance(
            new ProcessIdentity(1, 1, 1, "g", "localhost", "cmd", ProcessRole.WORKER),
            Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC), events::add);

    @Test
    void terminalStatesOnlyLeadBackToStarting() {
        for (InstanceState terminal : List.of(InstanceState.ENDED, InstanceState.STOPPED, InstanceState.FAILED)) {
            for (InstanceState next : InstanceState.values()) {
                assertThat(terminal.canMoveTo(next)).as("%s -> %s", terminal, next).isEqualTo(next == InstanceState.STARTING);
            }
        }
    }

    @Test
    void aProcessCannotEndWithoutHavingRun() {
        assertThat(InstanceState.CREATED.canMoveTo(InstanceState.ENDED)).isFalse();
        assertThat(InstanceState.BACKOFF.canMoveTo(InstanceState.RUNNING)).isFalse();
        assertThat(InstanceState.BACKOFF.canMoveTo(InstanceState.FAILED)).isFalse();
    }

    @Test
    void everyChangePublishesExactlyOneEventAndRecordsWhy() {
        instance.markStarting();
        instance.markRunning(42);
        instance.markTimedOut(Duration.ofSeconds(7), 1);
        instance.markStopped(new ExitStatus(143, 15), ProcessEvent.Outcome.RESTARTING, "timed out", Duration.ofSeconds(1));
        instance.markStarting();

        assertThat(events).extracting(DistarchEvent::name).containsExactly("process_created", "process_starting",
                "process_started", "process_timedout", "process_stopped", "process_starting");
        assertThat(instance.state()).isEqualTo(InstanceState.STARTING);
        assertThat(instance.attempts()).isEqualTo(2);
        assertThat(instance.lastTransition().from()).isEqualTo(InstanceState.BACKOFF);
        ProcessEvent.Stopped stopped = (ProcessEvent.Stopped) events.get(4);
        assertThat(stopped.restartIn()).isEqualTo(Duration.ofSeconds(1));
        assertThat(stopped.exit().describe()).isEqualTo("killed by signal 15 (SIGTERM)");
    }

    @Test
    void aForbiddenMoveIsRefusedAndPublishesNothing() {
        assertThatThrownBy(() -> instance.markRunning(1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot move from CREATED to RUNNING");
        assertThat(events).hasSize(1);
    }
}
