package org.distarch.master;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.distarch.config.ConfigLoader;
import org.distarch.config.DistarchConfig;
import org.distarch.supervise.InstancePlan;
import org.junit.jupiter.api.Test;

/** What a reload changes, process by process, decided without running anything. */
class ReconcilerTest {

    private final FleetPlanner planner = new FleetPlanner(new SelfCommand(List.of("java", "-cp", "x", "App")));

    private List<InstancePlan> plan(String groups) {
        DistarchConfig c = ConfigLoader.parse("distributed_architecture:\n  groups:\n" + groups, "t.yaml", n -> null);
        return planner.plan(c);
    }

    private static List<String> lines(List<Change> changes) {
        return changes.stream().map(Change::describe).toList();
    }

    private static final String A2 = "    A: {command: a, local: {instances_count: 2}}\n";
    private static final String B1 = "    B: {command: b, local: ~}\n";

    @Test
    void theSameConfigurationChangesNothing() {
        assertThat(Reconciler.plan(plan(A2 + B1), plan(A2 + B1))).isEmpty();
    }

    @Test
    void aNewGroupStartsWithFreshIdsAndARemovedOneStops() {
        List<Change> changes = Reconciler.plan(plan(A2 + B1),
                plan("    C: {command: c, local: ~}\n" + A2));
        assertThat(lines(changes)).containsExactly(
                "+ start   [C] [localhost] [c/4/1] (new group)",
                "- stop    [B] [localhost] [b/3/1] (group removed)");
    }

    @Test
    void aResizedGroupStartsOrStopsOnlyTheDifference() {
        assertThat(lines(Reconciler.plan(plan(A2 + B1), plan("    A: {command: a, local: {instances_count: 4}}\n" + B1))))
                .containsExactly("+ start   [A] [localhost] [a/4/3] (instances raised to 4 from 2)",
                        "+ start   [A] [localhost] [a/5/4] (instances raised to 4 from 2)");
        assertThat(lines(Reconciler.plan(plan(A2 + B1), plan("    A: {command: a, local: ~}\n" + B1))))
                .containsExactly("- stop    [A] [localhost] [a/2/2] (instances lowered to 1 from 2)");
    }

    @Test
    void aChangedCommandOrParamsRestartsOnlyThatGroupKeepingIds() {
        List<Change> changes = Reconciler.plan(plan(A2 + B1),
                plan(A2 + "    B: {command: b, params: {x: 1}, local: ~}\n"));
        assertThat(lines(changes)).containsExactly(
                "~ restart [B] [localhost] [b/3/1] (command, params or settings changed)");
        Change.Replace replace = (Change.Replace) changes.get(0);
        assertThat(replace.plan().launch().environment()).containsEntry("DA_ID", "3").containsEntry("DA_PARAMS", "{\"x\":1}");
    }
}
