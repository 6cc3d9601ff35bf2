package org.distarch.master;

import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Function;
import org.distarch.event.DistarchEvent;
import org.distarch.event.ProcessEvent;
import org.distarch.launch.Launcher;
import org.distarch.logs.ProcessLogs;
import org.distarch.output.LogSink;
import org.distarch.restart.RestartPolicy;
import org.distarch.supervise.InstancePlan;
import org.distarch.supervise.InstanceSupervisor;
import org.distarch.supervise.Scheduler;

/**
 * How a planned instance becomes a supervised one, for the {@link Fleet}: its restart policy, its launcher
 * (the local one with the plan's stop grace, or the remote one for its host) and the tap that lets the
 * fleet's rolling restarts hear its events. It exists so that every supervisor of a fleet, whether start-up,
 * a reload or a service's cycle made it, is built in one place and the same way.
 */
final class SupervisorFactory implements Function<InstancePlan, InstanceSupervisor> {

    private final MasterOptions options;
    private final Scheduler scheduler;
    private final LogSink log;
    private final Consumer<DistarchEvent> events;
    private final Launcher local;
    private final RemoteLaunchers remote;
    private final Random random;
    private final ProcessLogs logs;
    private final InstanceSupervisor.Hooks hooks;
    private final Consumer<ProcessEvent> rollouts;

    /**
     * @param hooks what every instance tells the fleet (the {@link FleetRunner})
     * @param rollouts hears every process event first hand, on the supervision thread
     */
    SupervisorFactory(MasterOptions options, Scheduler scheduler, LogSink log, Consumer<DistarchEvent> events,
            Launcher local, RemoteLaunchers remote, Random random, ProcessLogs logs, InstanceSupervisor.Hooks hooks,
            Consumer<ProcessEvent> rollouts) {
        this.options = options;
        this.scheduler = scheduler;
        this.log = log;
        this.events = events;
        this.local = local;
        this.remote = remote;
        this.random = random;
        this.logs = logs;
        this.hooks = hooks;
        this.rollouts = rollouts;
    }

    @Override
    public InstanceSupervisor apply(InstancePlan plan) {
        RestartPolicy policy = new RestartPolicy(plan.restart(), plan.run(), options.maxProcessTimeout(),
                random::nextDouble);
        // Rolling restarts hear the process events first hand, on this thread (never through the observers' bus).
        Consumer<DistarchEvent> tap = e -> {
            events.accept(e);
            if (e instanceof ProcessEvent p) {
                rollouts.accept(p);
            }
        };
        return new InstanceSupervisor(plan, launcherFor(plan), scheduler, log, tap, policy, hooks, logs);
    }

    private Launcher launcherFor(InstancePlan plan) {
        if (plan.remote() == null) {
            return local.withStopGrace(plan.stopTimeout());
        }
        if (remote == null) {
            throw new UnsupportedConfigException("group \"" + plan.identity().group()
                    + "\" has remote entries, but this master has no way to reach remote hosts");
        }
        return remote.forTarget(plan.identity().group(), plan.remote(), plan.stopTimeout());
    }
}
