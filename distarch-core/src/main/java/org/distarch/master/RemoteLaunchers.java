package org.distarch.master;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.distarch.control.RelayStatus;
import org.distarch.event.DistarchEvent;
import org.distarch.launch.Launcher;
import org.distarch.launch.RemoteTarget;
import org.distarch.output.LogSink;
import org.distarch.supervise.Scheduler;

/**
 * The launchers of remote entries: one per group and remote target, each speaking to one relay on that host
 * (the SSH implementation lives in distarch-remote). Its instances are supervised by the master exactly like
 * local ones; only the launcher differs.
 */
public interface RemoteLaunchers extends AutoCloseable {

    /**
     * The launcher of {@code group}'s instances on {@code target}, made on first use and kept. {@code grace} is
     * how long the host lets those processes stop if it loses its master before killing them.
     */
    Launcher forTarget(String group, RemoteTarget target, Duration grace);

    /**
     * Each relay's connection state, for the master's status. Called on the supervision thread: it must
     * answer from what it holds, never wait for the network.
     */
    default List<RelayStatus> relays() {
        return List.of();
    }

    /** Ends every session: each relay stops what still runs and says it is done (bounded wait). */
    @Override
    void close();

    /**
     * Opens the remote launchers of one master, with its supervision thread (for the sessions' heartbeat
     * timers, which only queue frames), its log and its observers' events.
     */
    @FunctionalInterface
    interface Factory {
        RemoteLaunchers open(Scheduler scheduler, LogSink log, Consumer<DistarchEvent> events);
    }
}
