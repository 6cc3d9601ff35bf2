package org.distarch.admin.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.distarch.admin.auth.Sessions;
import org.distarch.control.ControlPlane;
import org.distarch.control.MasterStatus;
import org.distarch.control.ProcessStatus;
import org.distarch.event.DistarchEvent;
import org.distarch.event.DistarchListener;
import org.distarch.event.EventCodec;
import org.distarch.event.MasterEvent;
import org.distarch.event.ProcessEvent;
import org.distarch.event.QueueEvent;
import org.distarch.metrics.FleetMetrics;

/**
 * The live stream behind {@code /api/v1/events}: a listener on the master's event bus that turns events into
 * server-sent messages. A new client gets a {@code snapshot} (the master and every process its filter lets
 * through); then {@code process} messages (the process's row as {@code GET /processes/{id}} shows it and the
 * last event that touched it, in the event codec's form), coalesced per process: a process that changes a
 * hundred times a second is sent at most {@link #COALESCE_MILLIS} apart; and {@code master} messages (the
 * master's own events), as they come; a relay's, except its once-a-second {@code master_running}, carry every
 * relay's state ({@code relays}, as {@code GET /master} shows them); and {@code queues} messages (the queue
 * groups' figures as {@code GET /queues} gives them), at most every {@link #COALESCE_MILLIS} while items move,
 * sent after the metrics counted the events they follow. Every message has an id ({@code RUN-SEQ}); the last {@link #RING}
 * are kept, so a client that reconnects with {@code Last-Event-ID} gets what it missed, or a new snapshot when
 * that is gone (or the id is from another run of the master).
 *
 * <p>All bookkeeping runs on one thread ({@code distarch-admin-stream}); writes to the clients are asynchronous.
 * Idle, it wakes only for the keep-alive comment, every {@link #KEEPALIVE_SECONDS} s, while clients are connected.
 */
public final class EventStream implements DistarchListener, AutoCloseable {

    static final long COALESCE_MILLIS = 250;
    static final int RING = 4096;
    static final int MAX_CLIENTS = 256;
    static final long KEEPALIVE_SECONDS = 15;
    /**
     * How long after its last client left the stream still keeps what happens for a client to resume with
     * {@code Last-Event-ID} (a browser retries in 2 s). Past it, with nobody connected, nothing is encoded: building a
     * row costs a status with every process's CPU and memory, which a fleet of 1,000 starting up would otherwise pay
     * four times a second for nobody. A client then gets a snapshot, as a new one does.
     */
    public static final long RESUME_WINDOW_MILLIS = 60_000;

    private record Message(long seq, int processId, ProcessStatus status, String text) {}

    private final Clock clock;
    private final String run = Sessions.random().substring(0, 8);
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "distarch-admin-stream");
        t.setDaemon(true);
        return t;
    });
    private final List<SseClient> clients = new CopyOnWriteArrayList<>();
    private final ArrayDeque<Message> ring = new ArrayDeque<>();
    /**
     * The last event per process since the last flush, in the order the processes first changed. Kept as the
     * event (an immutable record) and encoded only at flush: a process may change thousands of times between
     * two flushes, and only its last event is ever sent.
     */
    private final Map<Integer, DistarchEvent> dirty = new LinkedHashMap<>();
    private volatile ControlPlane plane;
    private volatile FleetMetrics metrics;
    /** A {@code queues} message is due: set by the metrics' thread, cleared by this stream's. */
    private final java.util.concurrent.atomic.AtomicBoolean queuesDue = new java.util.concurrent.atomic.AtomicBoolean();
    private long seq;
    /** The sequence skipped one since the ring was last emptied for nobody ({@link #nobodyToTell()}). */
    private boolean gap;
    private boolean flushScheduled;
    private long lastFlush;
    /** When the last client left (before any came: as if one had left before the window). */
    private volatile long lastClientLeft;
    /**
     * Guards {@link #opening} and {@link #skipped} together, so that an event is either skipped before a client
     * begins to open (and the client's open sees it skipped) or not skipped at all.
     */
    private final Object skipping = new Object();
    /** Clients between {@link #open} and their first message; guarded by {@link #skipping}. */
    private int opening;
    /** A process's event was not queued for this stream since the ring last had a gap; guarded by {@link #skipping}. */
    private boolean skipped;

    public EventStream(Clock clock) {
        this.clock = clock;
        this.lastClientLeft = clock.millis() - RESUME_WINDOW_MILLIS - 1;
        thread.scheduleAtFixedRate(this::keepAlive, KEEPALIVE_SECONDS, KEEPALIVE_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public void attached(ControlPlane fleet) {
        if (plane == null) {
            plane = fleet;
        }
    }

    /** The control plane to read rows from, when the stream is not subscribed through a master's listener hook. */
    public void plane(ControlPlane fleet) {
        this.plane = fleet;
    }

    /**
     * The queue figures to push: after {@code metrics} counts a queue event, a {@code queues} message follows
     * (coalesced like the processes' rows), so a client never reads figures older than the events it was shown.
     */
    public void queues(FleetMetrics metrics) {
        this.metrics = metrics;
        metrics.onQueueChange(() -> {
            if (queuesDue.compareAndSet(false, true)) {
                try {
                    thread.schedule(this::flushQueues, COALESCE_MILLIS, TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    // the stream is closed: nobody to tell
                }
            }
        });
    }

    private void flushQueues() {
        queuesDue.set(false);
        if (nobodyToTell()) {
            return;
        }
        FleetMetrics figures = metrics;
        status().thenAcceptAsync(status -> publish("queues", -1, null, QueueRows.of(figures.queues(clock.millis()),
                status)), thread).exceptionally(e -> null);
    }

    /**
     * No event (two per item of a busy queue, a {@code master_running} a second per remote host) is even queued for
     * this stream while nobody is connected nor could resume: nobody would read it, and this way the bus does not
     * wake the stream's listener thread for each; a client that comes gets a snapshot.
     */
    @Override
    public boolean wants(DistarchEvent event) {
        if (someoneCouldRead()) {
            return true;
        }
        synchronized (skipping) {
            if (opening > 0) {
                return true;
            }
            skipped = true;
            return false;
        }
    }

    /** On the stream's thread: what was skipped leaves a gap, so that no id from before it resumes past it. */
    private void gapForSkipped() {
        synchronized (skipping) {
            if (!skipped) {
                return;
            }
            skipped = false;
        }
        leaveGap();
    }

    /** Empties the ring and skips a sequence number (once per gap), so that no id from before it can resume. */
    private void leaveGap() {
        if (!ring.isEmpty() || !gap) {
            ring.clear();
            seq++;
            gap = true;
        }
    }

    /** A client is connected, or one left less than {@link #RESUME_WINDOW_MILLIS} ago and may resume. */
    private boolean someoneCouldRead() {
        return !clients.isEmpty() || clock.millis() - lastClientLeft <= RESUME_WINDOW_MILLIS;
    }

    @Override
    public void onEvent(DistarchEvent event) {
        thread.execute(() -> accept(event));
    }

    private void accept(DistarchEvent event) {
        if (event instanceof ProcessEvent e) {
            markDirty(e.process().id(), event);
        } else if (event instanceof QueueEvent e) {
            markDirty(e.process().id(), event);
        } else if (event instanceof MasterEvent m) {
            ObjectNode data = Json.MAPPER.createObjectNode();
            data.set("event", EventCodec.toJson(event));
            if (m.remote() && !(m instanceof MasterEvent.Running)) {
                // A relay connecting, connected or lost: its state and reason come with it, from the status.
                status().thenAcceptAsync(status -> {
                    data.set("relays", Json.MAPPER.valueToTree(status.relays()));
                    publish("master", -1, null, data);
                }, thread).exceptionally(e -> {
                    thread.execute(() -> publish("master", -1, null, data));
                    return null;
                });
            } else {
                publish("master", -1, null, data);
            }
        }
    }

    private void markDirty(int id, DistarchEvent event) {
        dirty.put(id, event);
        if (!flushScheduled) {
            flushScheduled = true;
            long wait = Math.max(0, lastFlush + COALESCE_MILLIS - clock.millis());
            thread.schedule(this::flush, wait, TimeUnit.MILLISECONDS);
        }
    }

    private void flush() {
        flushScheduled = false;
        lastFlush = clock.millis();
        Map<Integer, DistarchEvent> changed = new LinkedHashMap<>(dirty);
        dirty.clear();
        gapForSkipped();
        if (nobodyToTell()) {
            return;
        }
        status().thenAcceptAsync(status -> {
            long now = clock.millis();
            Map<Integer, ProcessStatus> byId = new LinkedHashMap<>();
            status.processes().forEach(p -> byId.put(p.id(), p));
            changed.forEach((id, event) -> {
                ProcessStatus p = byId.get(id);
                ObjectNode data = Json.MAPPER.createObjectNode();
                data.put("id", id);
                ObjectNode row = p == null ? null : ProcessRows.row(p, now);
                data.set("process", row);
                data.set("event", EventCodec.toJson(event));
                publish("process", id, p, data);
            });
        }, thread).exceptionally(e -> null);
    }

    private void publish(String type, int processId, ProcessStatus status, ObjectNode data) {
        gap = false;
        seq++;
        String text = format(seq, type, data);
        ring.addLast(new Message(seq, processId, status, text));
        if (ring.size() > RING) {
            ring.removeFirst();
        }
        for (SseClient client : clients) {
            deliver(client, processId, status, text);
        }
    }

    private static void deliver(SseClient client, int processId, ProcessStatus status, String text) {
        if (processId < 0) {
            client.send(text);
            return;
        }
        boolean matches = status != null && client.filter().matches(status);
        if (matches || client.shown.contains(processId)) {
            client.send(text);
        }
        if (matches) {
            client.shown.add(processId);
        } else {
            client.shown.remove(processId);
        }
    }

    private String format(long id, String type, Object data) {
        return "id: " + run + "-" + id + "\nevent: " + type + "\ndata: " + Json.write(data) + "\n\n";
    }

    /**
     * Opens a stream for a client: what it missed since {@code lastEventId} if the ring still holds it, else a
     * snapshot; then the live messages.
     *
     * @return false when {@link #MAX_CLIENTS} streams are open already
     */
    boolean open(SseClient client, String lastEventId) {
        if (clients.size() >= MAX_CLIENTS) {
            return false;
        }
        synchronized (skipping) {
            opening++;
        }
        try {
            thread.execute(() -> {
                gapForSkipped();
                client.send("retry: 2000\n\n");
                long resumeAfter = resumable(lastEventId);
                if (resumeAfter >= 0) {
                    for (Message m : ring) {
                        if (m.seq() > resumeAfter) {
                            replay(client, m);
                        }
                    }
                    connected(client);
                    return;
                }
                status().thenAcceptAsync(status -> {
                    client.send(snapshot(status, client.filter()));
                    status.processes().stream().filter(client.filter()::matches)
                            .forEach(p -> client.shown.add(p.id()));
                    connected(client);
                }, thread).exceptionally(e -> {
                    connected(null);
                    client.close(e);
                    return null;
                });
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            connected(null); // the stream is closed
            throw e;
        }
        return true;
    }

    /** A client that was opening is live now ({@code null}: it failed to open). */
    private void connected(SseClient client) {
        if (client != null) {
            clients.add(client);
        }
        synchronized (skipping) {
            opening--;
        }
    }

    private static void replay(SseClient client, Message m) {
        if (m.processId() < 0) {
            client.send(m.text());
        } else {
            deliver(client, m.processId(), m.status(), m.text());
        }
    }

    /** The sequence number to resume after, or -1 for a snapshot. */
    private long resumable(String lastEventId) {
        if (lastEventId == null || !lastEventId.startsWith(run + "-") || nobodyToTell()) {
            return -1;
        }
        try {
            long last = Long.parseLong(lastEventId.substring(run.length() + 1));
            long oldest = ring.isEmpty() ? seq + 1 : ring.peekFirst().seq();
            return last <= seq && last >= oldest - 1 ? last : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private String snapshot(MasterStatus status, ProcessFilter filter) {
        long now = clock.millis();
        ObjectNode data = Json.MAPPER.createObjectNode();
        data.set("master", FleetSummaries.master(status, now));
        data.set("groups", FleetSummaries.groups(status));
        FleetMetrics figures = metrics;
        if (figures != null) {
            data.set("queues", QueueRows.of(figures.queues(now), status).get("queues"));
        }
        ArrayNode processes = data.putArray("processes");
        status.processes().stream().filter(filter::matches).forEach(p -> processes.add(ProcessRows.row(p, now)));
        return format(seq, "snapshot", data);
    }

    void closed(SseClient client) {
        try {
            thread.execute(() -> {
                clients.remove(client);
                if (clients.isEmpty()) {
                    lastClientLeft = clock.millis();
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            clients.remove(client); // the stream is closed
        }
    }

    /**
     * True when no client is connected nor could still resume: what happens now is then not kept, and the ring
     * is emptied with a gap in the sequence, so that no id from before it can resume past what was dropped.
     */
    private boolean nobodyToTell() {
        if (someoneCouldRead()) {
            return false;
        }
        leaveGap();
        return true;
    }

    private void keepAlive() {
        for (SseClient client : clients) {
            client.send(": keep-alive\n\n");
        }
    }

    private java.util.concurrent.CompletableFuture<MasterStatus> status() {
        ControlPlane fleet = plane;
        if (fleet == null) {
            return java.util.concurrent.CompletableFuture.failedFuture(new IllegalStateException("no master"));
        }
        return fleet.status();
    }

    /** How many streams are open. */
    public int clients() {
        return clients.size();
    }

    /** Ends every stream and the stream's thread. */
    @Override
    public void close() {
        thread.shutdownNow();
        for (SseClient client : new ArrayList<>(clients)) {
            client.close(null);
        }
        clients.clear();
    }
}
