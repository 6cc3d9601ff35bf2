package org.distarch.remote.ssh;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.distarch.event.DistarchEvent;
import org.distarch.event.ProcessEvent;
import org.distarch.instance.InstanceState;
import org.distarch.launch.RemoteTarget;
import org.distarch.master.RemoteConnector;
import org.distarch.output.LogRecord;
import org.distarch.output.LogSource;
import org.distarch.remote.protocol.RelayCodec;
import org.distarch.remote.protocol.RelayFrame;
import org.distarch.supervise.InstancePlan;
import org.distarch.supervise.Scheduler;
import org.distarch.worker.protocol.LogLevel;

/**
 * One SSH session to one host, running the relay for one group's instances there. It sends the instances
 * (parameters travel in the session, never on a command line), a heartbeat every second, and stop or kill
 * requests; it turns the relay's frames into log lines and events with the host set. When the session
 * ends unexpectedly (host unreachable, authentication refused, network cut, relay missing) it says why in
 * one line, marks the instances as restarting and reconnects with backoff; a host key problem fails the
 * host instead. State changes run on the master's supervision thread.
 */
final class HostSession {

    private static final Duration HEARTBEAT = Duration.ofSeconds(1);
    private static final Duration DEAD_AFTER = Duration.ofSeconds(5);
    private static final Duration KILL_SESSION_AFTER = Duration.ofSeconds(10);
    private static final Duration HEALTHY_AFTER = Duration.ofSeconds(60);

    private enum Phase { IDLE, CONNECTED, BACKOFF, FAILED }

    private final String group;
    private final RemoteTarget target;
    private final List<InstancePlan> plans;
    private final Map<Integer, RemoteInstance> members = new LinkedHashMap<>();
    private final RemoteConnector.Context context;
    private final SshCommand ssh;
    private final Scheduler scheduler;
    private final Clock clock;
    private final LogSource relaySource;

    private Phase phase = Phase.IDLE;
    private Process process;
    private ThreadPoolExecutor writer;
    private boolean stopRequested;
    private volatile String lastDiagnostic;
    private int failures;
    private long connectedAt;
    private Scheduler.Cancellable heartbeat = Scheduler.Cancellable.NONE;
    private Scheduler.Cancellable reconnect = Scheduler.Cancellable.NONE;

    HostSession(List<InstancePlan> plans, RemoteConnector.Context context, SshCommand ssh) {
        this.plans = List.copyOf(plans);
        this.group = plans.get(0).identity().group();
        this.target = plans.get(0).remote();
        this.context = context;
        this.ssh = ssh;
        this.scheduler = context.scheduler();
        this.clock = scheduler.clock();
        this.relaySource = new LogSource(group, target.host(), "master", 0, 0);
        plans.forEach(p -> members.put(p.identity().id(), new RemoteInstance(p, this)));
    }

    List<RemoteInstance> members() {
        return new ArrayList<>(members.values());
    }

    void start() {
        if (phase == Phase.CONNECTED && !stopRequested || phase == Phase.BACKOFF) {
            return;
        }
        if (phase == Phase.CONNECTED) {
            // Stopping: start again once this session has ended.
            stopRequested = false;
            return;
        }
        stopRequested = false;
        connect();
    }

    void stop(String reason) {
        switch (phase) {
            case CONNECTED -> {
                if (!stopRequested) {
                    stopRequested = true;
                    send(new RelayFrame.Stop(reason));
                }
            }
            case BACKOFF, IDLE, FAILED -> {
                reconnect.cancel();
                phase = phase == Phase.FAILED ? Phase.FAILED : Phase.IDLE;
                settleAll(ProcessEvent.Outcome.STOPPED, reason);
            }
        }
    }

    void kill() {
        if (phase != Phase.CONNECTED) {
            stop("killed");
            return;
        }
        stopRequested = true;
        send(new RelayFrame.Kill());
        Process current = process;
        scheduler.schedule(KILL_SESSION_AFTER, () -> {
            if (current.isAlive()) {
                relayLog(LogLevel.WARN, "The relay did not finish after a kill request: closing the session "
                        + "(the relay stops its processes when it notices)");
                current.destroyForcibly();
            }
        });
    }

    private void connect() {
        Path directory = plans.get(0).launch().directory();
        List<String> command = new ArrayList<>();
        command.addAll(List.of("setpriv", "--pdeathsig", "KILL", "--"));
        command.addAll(ssh.forTarget(target, directory));
        try {
            // Started from the supervision thread, which lives as long as the master: the parent-death
            // signal follows the thread that forked (see docs/design.md).
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            lastDiagnostic = e.getMessage();
            ended(process, -1);
            return;
        }
        phase = Phase.CONNECTED;
        connectedAt = clock.millis();
        lastDiagnostic = null;
        writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "distarch-ssh-out-" + target.host());
            t.setDaemon(true);
            return t;
        });
        Process session = process;
        ExecutorService out = writer;
        send(new RelayFrame.Start(target.host(), plans, context.options().maxProcessTimeout(),
                context.options().timeout().toMillis(), DEAD_AFTER.toMillis()));
        Thread reader = new Thread(() -> read(session, out), "distarch-ssh-in-" + target.host());
        reader.setDaemon(true);
        reader.start();
        beat();
    }

    private void beat() {
        heartbeat = scheduler.schedule(HEARTBEAT, () -> {
            if (phase == Phase.CONNECTED) {
                // Skip a beat rather than queue behind a stalled network: the relay then knows.
                if (writer.getQueue().size() < 4) {
                    send(new RelayFrame.Ping());
                }
                beat();
            }
        });
    }

    private void send(RelayFrame frame) {
        Process session = process;
        String line = RelayCodec.encode(frame) + "\n";
        writer.execute(() -> {
            try {
                OutputStream in = session.getOutputStream();
                in.write(line.getBytes(StandardCharsets.UTF_8));
                in.flush();
            } catch (IOException e) {
                // The session is going away; its end is handled when ssh exits.
            }
        });
    }

    /** On the session's reading thread: log lines go straight to the log; events to the supervision thread. */
    private void read(Process session, ExecutorService out) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(session.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                long now = clock.millis();
                context.liveness().alive(now);
                RelayFrame frame;
                try {
                    frame = RelayCodec.decode(line, id -> {
                        RemoteInstance m = members.get(id);
                        return m == null ? null : m.plan().identity();
                    });
                } catch (IllegalArgumentException e) {
                    // Not a frame: ssh or the remote shell speaking (errors, banners).
                    String text = line.length() > 2000 ? line.substring(0, 2000) + "..." : line;
                    lastDiagnostic = text;
                    context.log().write(new LogRecord(now, LogLevel.WARN, relaySource, text, null));
                    continue;
                }
                if (frame instanceof RelayFrame.Log l) {
                    log(l);
                } else if (frame instanceof RelayFrame.Event e) {
                    scheduler.execute(() -> event(e.event()));
                }
            }
        } catch (IOException e) {
            lastDiagnostic = e.getMessage();
        }
        int code;
        try {
            code = session.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            code = -1;
        }
        out.shutdown();
        int exit = code;
        scheduler.execute(() -> ended(session, exit));
    }

    private void log(RelayFrame.Log l) {
        LogLevel level = LogLevel.parse(l.level()).orElse(LogLevel.INFO);
        RemoteInstance member = members.get(l.id());
        LogSource source = relaySource;
        if (member != null) {
            var id = member.plan().identity();
            source = new LogSource(id.group(), id.host(), id.display(), id.id(), id.groupId());
            member.output(l.epochMillis(), l.message());
        }
        context.log().write(new LogRecord(l.epochMillis(), level, source, l.message(), l.context()));
    }

    private void event(DistarchEvent event) {
        context.events().accept(event);
        if (event instanceof ProcessEvent p) {
            RemoteInstance member = members.get(p.process().id());
            // A relay stops its processes by itself only when it lost this master: not a stop anyone asked for,
            // so the instance stays "stopping" until the session ends and is reconnected.
            if (member != null && member.apply(p, !stopRequested)) {
                context.onSettled().accept(member);
            }
        }
    }

    private void ended(Process session, int exitCode) {
        if (session != process) {
            return;
        }
        heartbeat.cancel();
        phase = Phase.IDLE;
        if (stopRequested) {
            settleAll(ProcessEvent.Outcome.STOPPED, "the session with " + target.host() + " ended");
            return;
        }
        if (members.values().stream().allMatch(m -> m.state() == InstanceState.ENDED
                || m.state() == InstanceState.FAILED)) {
            return; // the relay finished its work: every process ended or was given up
        }
        SessionFailure failure = SessionFailure.classify(target.host(), lastDiagnostic, exitCode);
        if (failure.fatal()) {
            phase = Phase.FAILED;
            relayLog(LogLevel.ERROR, "Giving up on " + target.host() + ": " + failure.reason());
            settleAll(ProcessEvent.Outcome.FAILED, failure.reason());
            return;
        }
        if (clock.millis() - connectedAt >= HEALTHY_AFTER.toMillis()) {
            failures = 0;
        }
        failures++;
        Duration delay = Duration.ofMillis(Math.min(60_000L, 1000L << Math.min(6, failures - 1)));
        relayLog(LogLevel.ERROR, "Session with " + target.host() + " ended: " + failure.reason() + "; reconnecting in "
                + delay.toSeconds() + "s");
        phase = Phase.BACKOFF;
        for (RemoteInstance m : members.values()) {
            if (m.state() != InstanceState.ENDED && m.state() != InstanceState.FAILED) {
                m.settle(ProcessEvent.Outcome.RESTARTING);
                context.events().accept(new ProcessEvent.Stopped(clock.instant(), m.plan().identity(), null,
                        ProcessEvent.Outcome.RESTARTING, failure.reason(), delay));
            }
        }
        reconnect = scheduler.schedule(delay, () -> {
            if (phase == Phase.BACKOFF) {
                phase = Phase.IDLE;
                connect();
            }
        });
    }

    private void settleAll(ProcessEvent.Outcome outcome, String reason) {
        for (RemoteInstance m : members.values()) {
            if (!m.state().isTerminal() && m.settle(outcome)) {
                context.events().accept(new ProcessEvent.Stopped(clock.instant(), m.plan().identity(), null, outcome,
                        reason, null));
                context.onSettled().accept(m);
            }
        }
    }

    private void relayLog(LogLevel level, String message) {
        context.log().write(new LogRecord(clock.millis(), level, relaySource, message, null));
    }
}
