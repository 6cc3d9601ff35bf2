package org.distarch.remote.ssh;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.distarch.control.RelayStatus;
import org.distarch.event.DistarchEvent;
import org.distarch.launch.Launcher;
import org.distarch.launch.RemoteTarget;
import org.distarch.master.RemoteLaunchers;
import org.distarch.output.LogSink;
import org.distarch.supervise.Scheduler;

/**
 * Remote entries through the system's OpenSSH client: one {@link RelaySession} (one session, one relay) per
 * group and host, made on first use. The master supervises their processes like local ones.
 */
public final class SshLaunchers implements RemoteLaunchers {

    private static final Duration HEARTBEAT = Duration.ofSeconds(1);
    private static final Duration CLOSE_MARGIN = Duration.ofSeconds(10);

    private final SessionTransport transport;
    private final Scheduler scheduler;
    private final LogSink log;
    private final Consumer<DistarchEvent> events;
    private final Map<List<Object>, RelaySession> sessions = new LinkedHashMap<>();
    /** Forks every ssh from one long-lived thread: the parent-death signal follows the forking thread. */
    private final ExecutorService spawner = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "distarch-ssh-spawner");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean closed;

    SshLaunchers(SessionTransport transport, Scheduler scheduler, LogSink log, Consumer<DistarchEvent> events) {
        this.transport = transport;
        this.scheduler = scheduler;
        this.log = log;
        this.events = events;
        beat();
    }

    /** The factory a master is built with: sessions through {@code ssh}. */
    public static RemoteLaunchers.Factory factory(SshCommand ssh) {
        return (scheduler, log, events) -> new SshLaunchers(new SshTransport(ssh), scheduler, log, events);
    }

    @Override
    public synchronized Launcher forTarget(String group, RemoteTarget target, Duration grace) {
        RelaySession session = sessions.computeIfAbsent(List.of(group, target),
                k -> new RelaySession(group, target, transport, spawner, log, events, scheduler.clock()));
        session.grace(grace);
        return session;
    }

    @Override
    public List<RelayStatus> relays() {
        List<RelaySession> all;
        synchronized (this) {
            all = new ArrayList<>(sessions.values());
        }
        return all.stream().map(RelaySession::status).toList();
    }

    private void beat() {
        scheduler.schedule(HEARTBEAT, () -> {
            if (closed) {
                return;
            }
            List<RelaySession> all;
            synchronized (this) {
                all = new ArrayList<>(sessions.values());
            }
            all.forEach(RelaySession::beat);
            beat();
        });
    }

    @Override
    public void close() {
        List<RelaySession> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(sessions.values());
        }
        all.forEach(s -> s.beginClose("the master is done"));
        Duration longest = all.stream().map(RelaySession::grace).max(Duration::compareTo).orElse(Duration.ZERO);
        long deadline = System.nanoTime() + longest.plus(CLOSE_MARGIN).toNanos();
        for (RelaySession s : all) {
            s.awaitClosed(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
        spawner.shutdown();
    }
}
