package org.distarch.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.distarch.config.DistarchConfig;
import org.distarch.control.ControlPlane;
import org.distarch.control.ControlResult;
import org.distarch.control.MasterStatus;
import org.distarch.control.ProcessStatus;
import org.distarch.control.RollingOptions;
import org.distarch.control.Target;
import org.distarch.event.MasterEvent;
import org.junit.jupiter.api.Test;

/** The health the actuator shows for each life of the fleet (the master's answers given as values). */
class FleetViewTest {

    private final DistarchFleet fleet = new DistarchFleet();
    private final FleetView view = new FleetView(fleet);

    @Test
    void noMasterInThisApplicationIsUnknown() {
        assertThat(view.health().status()).isEqualTo("UNKNOWN");
        assertThat(view.status()).containsExactly(java.util.Map.entry("state", "NONE"));
    }

    @Test
    void aRunningFleetIsUpAndAGivenUpProcessMakesItDownUnlessItsGroupIsSuspended() {
        fleet.follow(new MasterEvent.Starting(Instant.now(), "localhost", false));
        fleet.follow(new MasterEvent.Started(Instant.now(), "localhost", false, 2));
        fleet.attach(answering(List.of(), process(1, "A", "RUNNING"), process(2, "B", "RUNNING")));
        assertThat(view.health().status()).isEqualTo("UP");
        assertThat(view.health().details()).containsEntry("processes", 2);

        fleet.attach(answering(List.of(), process(1, "A", "RUNNING"), process(2, "B", "FAILED")));
        assertThat(view.health().status()).isEqualTo("DOWN");
        assertThat(view.health().details()).containsEntry("givenUp", List.of("[B] [localhost] [b/2/1]"));

        fleet.attach(answering(List.of("B"), process(1, "A", "RUNNING"), process(2, "B", "FAILED")));
        assertThat(view.health().status()).isEqualTo("UP");
    }

    @Test
    void aStoppedMasterIsOutOfServiceWhenCleanAndDownOtherwise() {
        fleet.follow(new MasterEvent.Stopped(Instant.now(), "localhost", false, 0, "max running time"));
        assertThat(view.health().status()).isEqualTo("OUT_OF_SERVICE");
        fleet.follow(new MasterEvent.Stopped(Instant.now(), "localhost", false, 1, "a process was given up"));
        assertThat(view.health().status()).isEqualTo("DOWN");
        assertThat(view.health().details()).containsEntry("reason", "a process was given up");
    }

    @Test
    void aRemoteRelaysOwnMasterEventsDoNotChangeTheFleetsState() {
        fleet.follow(new MasterEvent.Stopped(Instant.now(), "server-host-1", true, 1, "relay gone"));
        assertThat(fleet.state()).isEqualTo(DistarchFleet.State.NONE);
    }

    private static ProcessStatus process(int id, String group, String state) {
        return new ProcessStatus(id, group, "localhost", group.toLowerCase() + "/" + id + "/1", state, 100 + id,
                1_000L, 0, 2_000L, "line", 10, 20);
    }

    private static ControlPlane answering(List<String> suspended, ProcessStatus... processes) {
        MasterStatus status = new MasterStatus(42, 1_000L, "application.yaml", false, suspended, List.of(processes));
        return new ControlPlane() {
            @Override
            public CompletableFuture<MasterStatus> status() {
                return CompletableFuture.completedFuture(status);
            }

            @Override
            public CompletableFuture<ControlResult> suspend(String group, boolean force, boolean persist) {
                throw new UnsupportedOperationException();
            }

            @Override
            public CompletableFuture<ControlResult> start(Target target) {
                throw new UnsupportedOperationException();
            }

            @Override
            public CompletableFuture<ControlResult> stop(Target target, boolean force, boolean persist) {
                throw new UnsupportedOperationException();
            }

            @Override
            public CompletableFuture<ControlResult> restart(Target target) {
                throw new UnsupportedOperationException();
            }

            @Override
            public CompletableFuture<ControlResult> rollingRestart(String group, RollingOptions options) {
                throw new UnsupportedOperationException();
            }

            @Override
            public CompletableFuture<ControlResult> signal(Target target, String signal) {
                throw new UnsupportedOperationException();
            }

            @Override
            public CompletableFuture<ControlResult> resume(String group) {
                throw new UnsupportedOperationException();
            }

            @Override
            public CompletableFuture<ControlResult> stop() {
                throw new UnsupportedOperationException();
            }

            @Override
            public CompletableFuture<ControlResult> reload(DistarchConfig config, boolean dryRun) {
                throw new UnsupportedOperationException();
            }
        };
    }
}
