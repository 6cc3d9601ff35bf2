package org.distarch.remote.ssh;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.distarch.control.RelayStatus;
import org.distarch.event.DistarchEvent;
import org.distarch.event.MasterEvent;
import org.distarch.launch.LaunchException;
import org.distarch.launch.LaunchSpec;
import org.distarch.launch.LaunchedWorker;
import org.distarch.launch.Launcher;
import org.distarch.launch.LineHandler;
import org.distarch.launch.RemoteTarget;
import org.distarch.output.LogRecord;
import org.distarch.output.LogSink;
import org.distarch.output.LogSource;
import org.distarch.remote.protocol.RelayCodec;
import org.distarch.remote.protocol.RelayFrame;
import org.distarch.worker.protocol.LogLevel;

/**
 * The launcher of one group's instances on one remote host: one session, one relay there. The first launch
 * opens the session; launches made meanwhile wait for the relay's {@code ready}. When the session ends
 * unexpectedly it says why in one line; pending launches fail ({@code UNREACHABLE}, or {@code PERMANENT} for a
 * host key problem) and running processes are reported lost, so that their supervisors restart them through
 * their restart policy, which opens a new session. State is guarded by this object's lock; nothing here waits
 * for the network on the caller's thread. This class owns the session's lifecycle; what goes to the relay is
 * batched by its {@link RelayOutbox} (under this same lock), what comes back is interpreted by its
 * {@link RelayFrameDispatch}.
 */
final class RelaySession implements Launcher {

    /** A relay that says nothing (not even its ping) for this long is considered gone. */
    static final Duration SILENT_RELAY = Duration.ofSeconds(15);
    static final Duration DEAD_AFTER = Duration.ofSeconds(5);
    /** Frames waiting this long (in characters) mean the network does not take them: no pings pile up. */
    private static final int STALLED_CHARS = 64 * 1024;

    private enum Phase { IDLE, CONNECTING, READY }

    private final String group;
    private final RemoteTarget target;
    private final SessionTransport transport;
    private final Executor spawner;
    private final LogSink log;
    private final Consumer<DistarchEvent> events;
    private final Clock clock;
    private final LogSource relaySource;
    private volatile Duration grace = Duration.ofSeconds(10);

    private Phase phase = Phase.IDLE;
    private int generation;
    private SessionTransport.Channel channel;
    /** What goes to the relay, batched; guarded by this object's lock like the phase. */
    private final RelayOutbox outbox = new RelayOutbox(this);
    private final RelayFrameDispatch dispatch;
    private final Map<Integer, RemoteWorker> workers = new LinkedHashMap<>();
    private final List<RemoteWorker> pending = new ArrayList<>();
    private int nextHandle = 1;
    private boolean closing;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private volatile long lastHeard;
    private volatile String lastDiagnostic;
    /** What {@link #status()} shows: guarded by this object's lock like the phase. */
    private RelayStatus.State shown = RelayStatus.State.IDLE;
    private String shownReason;
    private long shownSince;
    private int failures;

    RelaySession(String group, RemoteTarget target, SessionTransport transport, Executor spawner, LogSink log,
            Consumer<DistarchEvent> events, Clock clock) {
        this.group = group;
        this.target = target;
        this.transport = transport;
        this.spawner = spawner;
        this.log = log;
        this.events = events;
        this.clock = clock;
        this.relaySource = new LogSource(group, target.host(), "master", 0, 0);
        this.dispatch = new RelayFrameDispatch(this, target.host(), log, relaySource, events, clock);
    }

    void grace(Duration grace) {
        this.grace = grace;
    }

    @Override
    public synchronized CompletionStage<LaunchedWorker> launch(LaunchSpec spec, LineHandler output) {
        RemoteWorker w = new RemoteWorker(this, nextHandle++, output);
        if (closing) {
            w.failed(new LaunchException("the master is stopping", null));
            return w.launched();
        }
        w.spec = spec;
        workers.put(w.handle, w);
        switch (phase) {
            case IDLE -> {
                pending.add(w);
                connect(spec.directory());
            }
            case CONNECTING -> pending.add(w);
            case READY -> sendLaunch(w, spec);
        }
        return w.launched();
    }

    private void sendLaunch(RemoteWorker w, LaunchSpec spec) {
        send(new RelayFrame.Launch(w.handle, spec, grace.toMillis()));
    }

    private void connect(Path directory) {
        phase = Phase.CONNECTING;
        if (shown == RelayStatus.State.IDLE || shown == RelayStatus.State.CLOSED) {
            show(RelayStatus.State.CONNECTING, null);
        } else if (shown == RelayStatus.State.UNKNOWN_HOST_KEY) {
            show(RelayStatus.State.RECONNECTING, shownReason); // an operator restarted it: try again
        }
        int gen = ++generation;
        lastDiagnostic = null;
        events.accept(new MasterEvent.Starting(clock.instant(), target.host(), true));
        spawner.execute(() -> open(gen, directory));
    }

    /** On the spawner thread: forks ssh (a long-lived thread, for the parent-death signal), then reads. */
    private void open(int gen, Path directory) {
        SessionTransport.Channel opened;
        try {
            opened = transport.open(target, directory);
        } catch (IOException | RuntimeException e) {
            lastDiagnostic = e.getMessage();
            ended(gen, -1);
            return;
        }
        synchronized (this) {
            if (gen != generation) {
                opened.destroy();
                return;
            }
            channel = opened;
            lastHeard = clock.millis();
            outbox.open(opened, target.host());
            send(new RelayFrame.Hello(RelayFrame.VERSION, target.host(), group,
                    group + "|" + target.host() + "|" + target.entry(), DEAD_AFTER.toMillis()));
        }
        Thread reader = new Thread(() -> read(gen, opened), "distarch-ssh-in-" + target.host());
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Queues a frame for the relay; dropped when no session is open (its end reports everything). Frames sent
     * while a write is under way go out together in the next one ({@link RelayOutbox}).
     */
    synchronized void send(RelayFrame frame) {
        outbox.send(frame);
    }

    /** Every second, on the supervision thread: a ping, and a look at whether the relay still speaks. */
    synchronized void beat() {
        if (phase != Phase.READY) {
            return;
        }
        if (outbox.queuedChars() < STALLED_CHARS) {
            send(new RelayFrame.Ping()); // skip a beat rather than queue behind a stalled network
        }
        long silence = clock.millis() - lastHeard;
        if (silence > SILENT_RELAY.toMillis()) {
            relayLog(LogLevel.WARN, "No word from the relay on " + target.host() + " for " + silence / 1000
                    + "s: closing the session");
            channel.destroy();
        }
    }

    private void read(int gen, SessionTransport.Channel session) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(session.in(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                lastHeard = clock.millis();
                RelayFrame frame;
                try {
                    frame = RelayCodec.decode(line);
                } catch (IllegalArgumentException e) {
                    // Not a frame: ssh or the remote shell speaking (errors, banners).
                    String text = line.length() > 2000 ? line.substring(0, 2000) + "..." : line;
                    lastDiagnostic = text;
                    log.write(new LogRecord(clock.millis(), LogLevel.WARN, relaySource, text, null));
                    continue;
                }
                dispatch.frame(frame);
            }
        } catch (IOException e) {
            if (lastDiagnostic == null) {
                lastDiagnostic = e.getMessage();
            }
        }
        int code;
        try {
            code = session.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            code = -1;
        }
        ended(gen, code);
    }

    /** The relay is up: what waited for it is launched now (on the reader thread, via the dispatch). */
    synchronized void ready() {
        phase = Phase.READY;
        failures = 0;
        show(RelayStatus.State.CONNECTED, null);
        events.accept(new MasterEvent.Started(clock.instant(), target.host(), true, pending.size()));
        pending.forEach(w -> sendLaunch(w, w.spec));
        pending.clear();
    }

    synchronized int running() {
        return (int) workers.values().stream().filter(RemoteWorker::isLaunched).count();
    }

    synchronized RemoteWorker worker(int handle) {
        return workers.get(handle);
    }

    synchronized RemoteWorker remove(int handle) {
        pending.removeIf(w -> w.handle == handle);
        return workers.remove(handle);
    }

    private void ended(int gen, int exitCode) {
        List<RemoteWorker> affected;
        boolean asked;
        synchronized (this) {
            if (gen != generation) {
                return;
            }
            phase = Phase.IDLE;
            generation++;
            outbox.shut();
            channel = null;
            affected = new ArrayList<>(workers.values());
            workers.clear();
            pending.clear();
            asked = closing;
        }
        SessionFailure failure = SessionFailure.classify(target.host(), lastDiagnostic, exitCode);
        String reason = asked ? "the session was closed" : failure.reason();
        synchronized (this) {
            if (asked) {
                show(RelayStatus.State.CLOSED, reason);
            } else {
                failures++;
                show(failure.state(), reason);
            }
        }
        events.accept(new MasterEvent.Stopped(clock.instant(), target.host(), true, exitCode, reason));
        if (!asked) {
            relayLog(LogLevel.ERROR, failure.fatal() ? "Giving up on " + target.host() + ": " + reason
                    : "Session with " + target.host() + " ended: " + reason);
        }
        LaunchException pendingFailure = new LaunchException(failure.fatal() ? LaunchException.Kind.PERMANENT
                : LaunchException.Kind.UNREACHABLE, asked ? "the master is stopping" : reason, null);
        String lost = "the session with " + target.host() + " ended: " + reason;
        affected.forEach(w -> w.sessionEnded(pendingFailure, lost));
        if (asked) {
            closed.complete(null);
        }
    }

    /** Asks the relay to finish (it stops what still runs, then says done); returns at once. */
    synchronized void beginClose(String reason) {
        closing = true;
        if (phase == Phase.IDLE) {
            closed.complete(null);
            return;
        }
        if (phase == Phase.READY) {
            send(new RelayFrame.Close(reason));
        } else if (channel != null) {
            channel.destroy();
        } else {
            generation++; // still forking ssh: open() drops the session when it comes
            phase = Phase.IDLE;
            closed.complete(null);
        }
    }

    /** Waits for the session to end, at most {@code limit}; then ends it by force. */
    void awaitClosed(Duration limit) {
        try {
            closed.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            synchronized (this) {
                if (channel != null) {
                    relayLog(LogLevel.WARN, "The relay on " + target.host() + " did not finish in time: closing the "
                            + "session (the relay stops its processes when it notices)");
                    channel.destroy();
                }
            }
        }
    }

    private void show(RelayStatus.State state, String reason) {
        if (state != shown) {
            shownSince = clock.millis();
        }
        shown = state;
        shownReason = reason;
    }

    /** This relay's connection state, from what the session last saw (never waits for the network). */
    synchronized RelayStatus status() {
        return new RelayStatus(group, target.host(), target.entry(), shown, shownReason, shownSince,
                shown == RelayStatus.State.IDLE ? 0 : lastHeard, failures, running());
    }

    Duration grace() {
        return grace;
    }

    private void relayLog(LogLevel level, String message) {
        log.offer(new LogRecord(clock.millis(), level, relaySource, message, null));
    }
}
