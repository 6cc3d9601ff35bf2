package org.distarch.master;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import org.distarch.config.DistarchConfig;
import org.distarch.config.GroupConfig;
import org.distarch.config.QueueGroupConfig;
import org.distarch.output.LogSink;
import org.distarch.supervise.InstancePlan;
import org.distarch.worker.WorkerCommand;
import org.distarch.worker.protocol.LogLevel;

/**
 * What a fleet starts with: the planned instances of the groups whose pre-run check passed, and whether any
 * failed (the exit code is then 1). It exists so that {@link Master} only sequences a run, while the decisions
 * made once before the first process starts (which groups may run, whether this master can reach them, what
 * an operator's persisted state keeps down) live together here.
 *
 * @param plans the instances to start, in the configuration's order
 * @param checksFailed whether some group failed its pre-run check (and is left out of {@code plans})
 */
record StartUpPlan(List<InstancePlan> plans, boolean checksFailed) {

    /** Runs every group's pre-run check and plans the instances of the groups that passed. */
    static StartUpPlan checked(DistarchConfig config, FleetPlanner planner, Map<String, WorkerCommand> commands,
            LogSink log, Clock clock, BiConsumer<LogLevel, String> masterLog) {
        PreRunChecks checks = new PreRunChecks(commands, log, clock, masterLog);
        Map<String, Boolean> passed = new LinkedHashMap<>();
        for (GroupConfig group : config.groups()) {
            passed.put(group.name(), checks.passes(group));
        }
        for (QueueGroupConfig group : config.queueGroups()) {
            passed.put(group.name(), checks.passes(group));
        }
        return new StartUpPlan(planner.plan(config).stream().filter(p -> passed.getOrDefault(p.identity().group(),
                true)).toList(), passed.containsValue(false));
    }

    /**
     * Refuses a plan with remote entries when the master has no way to reach remote hosts.
     *
     * @throws UnsupportedConfigException naming the first group with remote entries
     */
    void requireRemoteReachable(boolean reachable) {
        if (reachable) {
            return;
        }
        plans.stream().filter(p -> p.remote() != null).findFirst().ifPresent(p -> {
            throw new UnsupportedConfigException("group \"" + p.identity().group()
                    + "\" has remote entries, but this master has no way to reach remote hosts");
        });
    }

    /**
     * On the supervision thread, before the runner starts up: what an operator persisted ({@code suspend
     * --persist}, {@code stop --persist}) stays down, said in the log.
     */
    void keepPersistedDown(OperatorState persisted, DistarchConfig config, FleetRunner runner,
            BiConsumer<LogLevel, String> masterLog) {
        Set<String> groups = new LinkedHashSet<>();
        plans.forEach(p -> groups.add(p.identity().group()));
        Set<String> suspended = new LinkedHashSet<>(persisted.suspendedGroups());
        suspended.retainAll(groups);
        for (String g : suspended) {
            masterLog.accept(LogLevel.INFO, "Keeping group \"" + g + "\" suspended, as an operator asked (persisted in "
                    + persisted.file() + "); resume " + g + " starts it");
        }
        persisted.suspendedGroups().stream().filter(g -> !groups.contains(g)).forEach(g -> masterLog.accept(
                LogLevel.WARN, "The state file " + persisted.file() + " keeps group \"" + g
                        + "\" suspended, but no such group runs"));
        for (InstancePlan p : plans) {
            if (persisted.isStopped(p.identity())) {
                masterLog.accept(LogLevel.INFO, "Keeping " + Change.prefix(p.identity()) + " stopped, as an operator "
                        + "asked (persisted in " + persisted.file() + "); start " + p.identity().group() + "/"
                        + p.identity().groupId() + " starts it");
            }
        }
        runner.prepare(FleetControl.lifecycles(config), suspended,
                id -> persisted.isStopped(id) ? Reconciler.STOPPED_PERSISTED : null);
    }
}
