package org.distarch.queue.feeder;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.distarch.queue.feeder.DeliveryBook.Delivery;
import org.distarch.queue.feeder.DeliveryBook.Outcome;
import org.distarch.queue.feeder.DeliveryBook.Pending;
import org.distarch.queue.feeder.FeederConnection.Phase;
import org.distarch.queue.protocol.QueueCodec;
import org.distarch.queue.protocol.QueueFrame;
import org.slf4j.Logger;

/**
 * The feeder: listens for consumers, hands them the source's items as far as their credits allow, and
 * reports each item's outcome exactly once. It does the I/O; {@link DeliveryBook} decides every outcome.
 *
 * <p>One thread runs everything ({@link #run()}), in a selector loop that never sleep-polls: it wakes for
 * network events, the next timer ({@link FeederTimers}) and {@link #itemsAvailable()} / {@link #stop()},
 * which other threads may call. Times come from the injected clock.
 *
 * @param <T> the application's item type
 */
public final class FeederServer<T> implements Closeable {


    private final FeederSource<T> items;
    private final FeederOptions options;
    private final Logger log;
    private final FeederReport report;
    private final Clock clock;
    private final Selector selector;
    private final FeederListeners listeners;
    private final AtomicBoolean stopAsked = new AtomicBoolean();
    private final AtomicBoolean itemsSignal = new AtomicBoolean();
    private final DeliveryBook<HeldItem<T>> book;
    private final FeederConnections connections = new FeederConnections();
    private final FeederSessions<T> sessions;
    private final FeederTimers timers;
    private long lastAlive;
    private int reportedConsumers = -1;

    public FeederServer(ItemSource<T> source, FeederOptions options, ObjectMapper json, Logger log,
            FeederReport report) throws IOException {
        this(source, options, json, log, report, MonotonicClock.INSTANCE);
    }

    /** @param clock what every timer is checked against; only differences of its millis are used */
    public FeederServer(ItemSource<T> source, FeederOptions options, ObjectMapper json, Logger log,
            FeederReport report, Clock clock) throws IOException {
        this.items = new FeederSource<>(source, json, log, report, options.emptyInterval().toMillis());
        this.options = options;
        this.log = log;
        this.report = report;
        this.clock = clock;
        this.book = new DeliveryBook<>(options.maxAttempts());
        this.selector = Selector.open();
        this.listeners = new FeederListeners(options, selector, log);
        this.timers = new FeederTimers(options);
        this.sessions = new FeederSessions<>(options, log, book, items, connections, listeners, selector);
    }

    /** Opens the listening sockets; see {@link FeederListeners#bind()}. */
    public String bind() throws IOException {
        return listeners.bind();
    }

    /** The bound TCP port (useful with port 0). */
    public int tcpPort() {
        return listeners.tcpPort();
    }

    // ---- thread-safe controls ------------------------------------------------------------------------

    /** New items may be available: ask the source now instead of after the empty interval. */
    public void itemsAvailable() {
        itemsSignal.set(true);
        selector.wakeup();
    }

    /** Consumers connected and welcomed right now. */
    public int connectedConsumers() {
        return connections.welcomedCount();
    }

    /** No more hand-outs; answers still due are awaited up to the drain timeout, then {@link #run()} returns. */
    public void stop() {
        stopAsked.set(true);
        selector.wakeup();
    }

    // ---- the loop --------------------------------------------------------------------------------------

    /** Serves consumers until {@link #stop()} and the drain; every item taken has its outcome when this returns. */
    public void run() throws IOException {
        if (!listeners.bound()) {
            throw new IllegalStateException("bind() first");
        }
        log.info("Waiting for new connections");
        lastAlive = now();
        try {
            while (true) {
                long now = now();
                if (stopAsked.get() && !book.stopping()) {
                    beginStop(now);
                }
                if (book.drained(now)) {
                    break;
                }
                if (itemsSignal.getAndSet(false)) {
                    items.itemsAvailable();
                }
                sessions.dispatch(now);
                long wait = timers.run(sessions, connections.snapshot(), now,
                        book.stopping() ? book.drainDeadline() : Long.MAX_VALUE);
                if (!book.stopping() && items.askAt() > now && connections.anyCredit()) {
                    wait = Math.min(wait, items.askAt() - now);
                }
                if (now - lastAlive >= 1000) {
                    lastAlive = now;
                    report.alive();
                }
                int consumers = connections.welcomedCount();
                if (consumers != reportedConsumers) { // once per turn at most: a burst of connections is one report
                    reportedConsumers = consumers;
                    report.consumersConnected(consumers);
                }
                String refusals = sessions.admissionWarning(now);
                if (refusals != null) {
                    log.warn(refusals);
                }
                wait = Math.min(wait, Math.max(1, 1000 - (now - lastAlive)));
                sessions.flush(); // one write per connection for all this turn's frames
                selector.select(Math.max(1, wait));
                Set<SelectionKey> ready = selector.selectedKeys();
                for (SelectionKey key : ready) {
                    try {
                        handle(key);
                    } catch (RuntimeException e) {
                        // A bug met by one connection must not take the others down with the feeder.
                        log.error("Internal error while serving a connection", e);
                        if (key.attachment() instanceof FeederConnection c) {
                            sessions.drop(c, "internal error: " + e, true);
                        }
                    }
                }
                ready.clear();
            }
        } finally {
            finishStop();
        }
    }

    private void handle(SelectionKey key) {
        if (!key.isValid()) {
            return;
        }
        if (key.isAcceptable()) {
            sessions.accept((ServerSocketChannel) key.channel(), now());
            return;
        }
        FeederConnection c = (FeederConnection) key.attachment();
        if (c == null || c.phase == Phase.CLOSED) {
            return;
        }
        if (key.isWritable()) {
            String failed = c.flush();
            if (failed != null) {
                sessions.drop(c, failed, false);
            }
        }
        if (c.phase != Phase.CLOSED && key.isValid() && key.isReadable()) {
            sessions.read(c, now());
        }
    }

    // ---- stopping --------------------------------------------------------------------------------------

    private void beginStop(long now) {
        List<Outcome<HeldItem<T>>> ended = book.stop(now, options.drainTimeout().toMillis());
        log.info("Stopping... ({} item(s) in flight)", book.inFlight());
        listeners.close();
        ended.forEach(sessions::report);
        for (FeederConnection c : connections.snapshot()) {
            if (c.phase == Phase.READY) {
                sessions.sendStop(c, now);
            } else {
                sessions.drop(c, "the feeder is stopping", false);
            }
        }
    }

    private void finishStop() {
        if (!book.stopping()) {
            book.stop(now(), 0).forEach(sessions::report);
        }
        for (FeederConnection c : connections.snapshot()) {
            sessions.drop(c, book.heldBy(c.number) == 0 ? "the feeder stopped" : "the feeder stopped while it still held items",
                    false);
        }
        book.finish("the feeder stopped while it still held the item").forEach(sessions::report);
        listeners.close();
        report.flush();
        log.info("Feeder done: {} handed out, {} succeeded, {} failed", book.handedOutCount(), book.succeededCount(),
                book.failedCount());
    }

    @Override
    public void close() {
        listeners.close();
        closeQuietly(selector);
    }

    /** Items reported as handled, as failed, and hand-outs so far (for logs and tests). */
    public long[] counts() {
        return new long[] {book.succeededCount(), book.failedCount(), book.handedOutCount()};
    }

    /** Bytes held right now for partial frames across all connections, and the most ever held. For tests. */
    long[] frameMemory() {
        return connections.frameMemory();
    }

    /** Connections accepted so far, admitted or not. For tests. */
    long acceptedConnections() {
        return sessions.accepted();
    }

    private long now() {
        return clock.millis();
    }

    static void closeQuietly(Closeable c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }
}
