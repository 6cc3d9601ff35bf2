package org.distarch.master;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.distarch.config.ConfigLoader;
import org.distarch.config.DistarchConfig;
import org.distarch.supervise.InstancePlan;
import org.junit.jupiter.api.Test;

/** The environment that tells a worker who it is and what its group's configuration says. */
class FleetPlannerWorkerEnvTest {

    private final FleetPlanner planner = new FleetPlanner(new SelfCommand(List.of("java", "-cp", "x", "App")));

    private List<InstancePlan> plan(String yaml) {
        DistarchConfig config = ConfigLoader.parse(yaml, "test.yaml", name -> null);
        return planner.plan(config, Map.of());
    }

    @Test
    void theGroupsSettingsArePlannedWithTheEntrysOverrides() {
        List<InstancePlan> plans = plan("""
                distributed_architecture:
                  groups:
                    First Group:
                      command: app:test --fast
                      bin_path: /usr/bin/php7
                      path: /srv/app
                      priority: 5
                      timeout: 40
                      params: {Param1: Value1}
                      local: {instances_count: 1, priority: -3}
                      remote:
                        - {hosts: [h1], path: /srv/remote}
                """);

        assertThat(plans.get(0).launch().environment())
                .containsEntry("DA_ID", "1").containsEntry("DA_GROUP_NAME", "First Group")
                .containsEntry("DA_GROUP_COMMAND", "app:test --fast").containsEntry("DA_PATH", "/srv/app")
                .containsEntry("DA_BIN_PATH", "/usr/bin/php7").containsEntry("DA_PRIORITY", "-3")
                .containsEntry("DA_TIMEOUT", "40").containsEntry("DA_PARAMS", "{\"Param1\":\"Value1\"}");
        assertThat(plans.get(1).launch().environment())
                .containsEntry("DA_HOST", "h1").containsEntry("DA_GROUP_COMMAND", "app:test --fast")
                .containsEntry("DA_PATH", "/srv/remote").containsEntry("DA_PRIORITY", "5");
    }

    @Test
    void unsetSettingsAreAbsentNotEmpty() {
        List<InstancePlan> plans = plan("""
                distributed_architecture:
                  groups:
                    Plain: {command: "app:x", local: {instances_count: 1}}
                """);

        Map<String, String> env = plans.get(0).launch().environment();
        assertThat(env).containsEntry("DA_GROUP_COMMAND", "app:x").containsEntry("DA_TIMEOUT", "30")
                .doesNotContainKeys("DA_PATH", "DA_BIN_PATH", "DA_PRIORITY");
        assertThat(plans.get(0).launch().command()).as("never on the command line")
                .containsExactly("java", "-cp", "x", "App", "app:x");
    }

    @Test
    void queueGroupProcessesGetTheirGroupsCommandToo() {
        List<InstancePlan> plans = plan("""
                distributed_architecture:
                  queue_groups:
                    Q:
                      command: app:q --verbose
                      priority: 2
                      local_feeder: {bind_to: 127.0.0.1, port: 7000}
                      consumers:
                        local: {instances_count: 1, host: 127.0.0.1, port: 7000}
                """);

        assertThat(plans).allSatisfy(p -> assertThat(p.launch().environment())
                .containsEntry("DA_GROUP_COMMAND", "app:q --verbose").containsEntry("DA_PRIORITY", "2"));
    }
}
