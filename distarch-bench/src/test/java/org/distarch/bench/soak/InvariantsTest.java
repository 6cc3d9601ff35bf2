package org.distarch.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InvariantsTest {

    private static final String SLOW = Invariants.key("Slow", null, Census.LOCAL);

    private static Census.Proc copy(long pid) {
        return new Census.Proc(pid, 1, 'S', Census.LOCAL, "Slow", 3, null, "sh", false, false);
    }

    private static Invariants invariants() {
        Invariants invariants = new Invariants(Map.of(SLOW, 1), new FaultLog());
        invariants.sampleMaster(ProcessHandle.current().pid(), true, 0); // this JVM stands in for the master
        return invariants;
    }

    @Test
    void oneCopyAsConfiguredIsNoViolationAndACompleteFleet() {
        Invariants invariants = invariants();

        assertThat(invariants.sample(List.of(copy(100)), 200)).isTrue();
        invariants.finish(400);
        assertThat(invariants.report()).isZero();
    }

    @Test
    void twoCopiesOfOneInstanceAreReported() {
        Invariants invariants = invariants();
        invariants.sample(List.of(copy(100)), 200);
        invariants.sample(List.of(copy(100), copy(200)), 400);
        invariants.sample(List.of(copy(100), copy(200)), 600);
        invariants.sample(List.of(copy(200)), 800);
        invariants.finish(1000);

        // one episode of two copies, and the host over its configured count
        assertThat(invariants.report()).isEqualTo(2);
    }

    @Test
    void aMissingProcessIsAnIncompleteFleetNotAViolation() {
        Invariants invariants = invariants();

        assertThat(invariants.sample(List.of(), 200)).isFalse();
        invariants.finish(400);
        assertThat(invariants.report()).isZero();
    }

    @Test
    void aStoppedProcessLeavesTheFleetIncomplete() {
        Invariants invariants = invariants();
        Census.Proc stopped = new Census.Proc(100, 1, 'T', Census.LOCAL, "Slow", 3, null, "sh", false, false);

        assertThat(invariants.sample(List.of(stopped), 200)).isFalse();
    }
}
