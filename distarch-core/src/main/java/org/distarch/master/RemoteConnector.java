package org.distarch.master;

import java.util.List;
import java.util.function.Consumer;
import org.distarch.event.DistarchEvent;
import org.distarch.output.LogSink;
import org.distarch.supervise.InstancePlan;
import org.distarch.supervise.InstanceSupervisor;
import org.distarch.supervise.Scheduler;
import org.distarch.supervise.Supervised;

/**
 * How the master reaches remote hosts (the SSH implementation lives in distarch-remote). For the instances
 * of one group on one remote target, it returns the members the fleet holds: mirrors of what that host's
 * relay reports.
 */
public interface RemoteConnector extends AutoCloseable {

    List<Supervised> connect(List<InstancePlan> instances, Context context);

    @Override
    default void close() {}

    /**
     * What a remote session needs from the master: its supervision thread, log, event bus, liveness
     * (for {@code --timeout}), a callback when a member settles (reaches a terminal state), and its options.
     */
    record Context(Scheduler scheduler, LogSink log, Consumer<DistarchEvent> events,
            InstanceSupervisor.LivenessListener liveness, Consumer<Supervised> onSettled, MasterOptions options) {}
}
