package org.distarch.queue.feeder;

import java.nio.ByteBuffer;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.util.Optional;
import org.distarch.queue.feeder.DeliveryBook.Delivery;
import org.distarch.queue.feeder.DeliveryBook.Outcome;
import org.distarch.queue.feeder.DeliveryBook.Pending;
import org.distarch.queue.feeder.FeederConnection.Phase;
import org.distarch.queue.protocol.QueueFrame;
import org.slf4j.Logger;

/**
 * What the feeder does with its connections, on the loop's thread: admits clients, reads and acts on their
 * frames, hands out items as far as credits go, and ends connections. Every item's fate is the
 * {@link DeliveryBook}'s answer; this class only carries it out on the wire and through {@link FeederSource}.
 */
final class FeederSessions<T> {

    private static final int READ_BUFFER = 64 * 1024;
    private static final int MAX_CREDITS = 1_000_000;

    private final FeederOptions options;
    private final Logger log;
    private final DeliveryBook<HeldItem<T>> book;
    private final FeederSource<T> items;
    private final FeederConnections connections;
    private final FeederListeners listeners;
    private final FeederHandshake handshake;
    private final Selector selector;
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER);
    private volatile long accepted;
    /** Connections with frames queued this turn. */
    private final java.util.ArrayDeque<FeederConnection> unflushed = new java.util.ArrayDeque<>();

    FeederSessions(FeederOptions options, Logger log, DeliveryBook<HeldItem<T>> book, FeederSource<T> items,
            FeederConnections connections, FeederListeners listeners, Selector selector) {
        this.options = options;
        this.log = log;
        this.book = book;
        this.items = items;
        this.connections = connections;
        this.listeners = listeners;
        this.selector = selector;
        this.handshake = new FeederHandshake(options, log);
    }

    /** Connections accepted so far, admitted or not. */
    long accepted() {
        return accepted;
    }

    /** What to warn about clients closed at once, at most once a minute; null when nothing. */
    String admissionWarning(long now) {
        return handshake.warningDue(now);
    }

    void accept(ServerSocketChannel server, long now) {
        FeederListeners.Accepted a = listeners.accept(server);
        if (a == null) {
            return;
        }
        accepted++;
        FeederConnection c = handshake.admit(a, selector, now);
        if (c != null) {
            connections.add(c);
            send(c, handshake.hello(c), now);
        }
    }

    void read(FeederConnection c, long now) {
        int before = c.heldBytes();
        FeederConnection.Received got = c.read(readBuffer);
        connections.account(before, c.heldBytes());
        for (QueueFrame frame : got.frames()) {
            if (c.phase == Phase.CLOSED) {
                return;
            }
            onFrame(c, frame, now);
        }
        if (got.ended() != null) {
            drop(c, got.ended(), false);
        } else if (got.protocolError() != null) {
            refuse(c, got.protocolError());
        }
    }

    private void onFrame(FeederConnection c, QueueFrame frame, long now) {
        c.lastHeard = now;
        if (!(frame instanceof QueueFrame.ConsumerFrame)) {
            refuse(c, "a feeder frame (" + frame.type() + ") from a consumer");
        } else if (c.phase == Phase.HANDSHAKE) {
            if (frame instanceof QueueFrame.Auth auth) {
                authenticate(c, auth, now);
            } else {
                refuse(c, "expected auth first, got " + frame.type());
            }
        } else if (frame instanceof QueueFrame.Ready r) {
            if (!c.stopSent) { // after stop (it left, or we stop), credit gives nothing
                c.credits = (int) Math.min(MAX_CREDITS, (long) c.credits + r.credits());
            }
        } else if (frame instanceof QueueFrame.Leave) {
            // Nothing more for it; the stop frame then follows every item already sent, so the consumer knows
            // when nothing is on its way any more, answers what it has and closes.
            c.credits = 0;
            sendStop(c, "you are leaving", now);
        } else if (frame instanceof QueueFrame.Done d) {
            answered(c, book.done(c.number, d.delivery()), "done", d.delivery());
        } else if (frame instanceof QueueFrame.Failed f) {
            answered(c, book.failed(c.number, f.delivery(), f.error()), "failed", f.delivery());
        } else if (frame instanceof QueueFrame.Error e) {
            drop(c, "it gave up: " + e.reason(), true);
        } else if (frame instanceof QueueFrame.Auth) {
            refuse(c, "auth again after the handshake");
        }
        // Pong: lastHeard is all it is for.
    }

    private void answered(FeederConnection c, Optional<Outcome<HeldItem<T>>> outcome, String what, long delivery) {
        if (outcome.isPresent()) {
            report(outcome.get());
        } else {
            refuse(c, what + " for delivery " + delivery + ", which this consumer does not hold");
        }
    }

    private void authenticate(FeederConnection c, QueueFrame.Auth auth, long now) {
        String refused = handshake.check(c, auth);
        if (refused != null) {
            refuse(c, refused);
            return;
        }
        connections.welcomed();
        log.info("Consumer {} connected: {} ({})", c.number, c.name, c.peer);
        send(c, new QueueFrame.Welcome(c.number), now);
        if (book.stopping()) {
            sendStop(c, now);
        }
    }

    // ---- handing out -----------------------------------------------------------------------------------

    void dispatch(long now) {
        if (book.stopping()) {
            return;
        }
        boolean progress = true;
        while (progress) {
            progress = false;
            for (FeederConnection c : connections.nextRound()) {
                if (c.phase != Phase.READY || c.credits <= 0) {
                    continue;
                }
                Pending<HeldItem<T>> next = nextItem(now);
                if (next == null) {
                    return;
                }
                handOut(c, next, now);
                progress = true;
            }
        }
    }

    /** A lost item first, then the source's next one; null when there is nothing to hand out now. */
    private Pending<HeldItem<T>> nextItem(long now) {
        Optional<Pending<HeldItem<T>>> lost = book.nextRedelivery();
        if (lost.isPresent()) {
            return lost.get();
        }
        T item = items.next(now);
        return item == null ? null : book.taken(new HeldItem<>(item), items.idOf(item));
    }

    private void handOut(FeederConnection c, Pending<HeldItem<T>> pending, long now) {
        Delivery<HeldItem<T>> d = book.handOut(pending, c.number, c.globalId);
        byte[] frame;
        try {
            frame = items.frameOf(d, options.maxFrame());
        } catch (IllegalArgumentException e) {
            log.error("Item {} not handed out: {}", d.itemId(), e.getMessage());
            book.unsendable(d, e.getMessage()).ifPresent(this::report);
            return;
        }
        c.credits--;
        String failed = c.write(ByteBuffer.wrap(frame), now);
        if (failed != null) {
            drop(c, failed, true);
        } else {
            toFlush(c);
        }
    }

    void report(Outcome<HeldItem<T>> o) {
        items.tell(o);
    }

    // ---- connections ending ----------------------------------------------------------------------------

    /** Protocol breach: say why if we can, then drop. */
    void refuse(FeederConnection c, String reason) {
        if (c.phase != Phase.CLOSED) {
            c.sayError(reason);
            drop(c, reason, true);
        }
    }

    /** Closes the connection; every item it held is lost in flight: redelivered or failed, as the book says. */
    void drop(FeederConnection c, String reason, boolean warn) {
        if (c.phase == Phase.CLOSED) {
            return;
        }
        boolean wasConsumer = c.phase == Phase.READY;
        handshake.ended(c);
        connections.remove(c);
        c.close();
        int held = wasConsumer ? book.heldBy(c.number) : 0;
        if (warn || held > 0) {
            log.warn("Disconnected {}: {}{}", c.label(), reason, held == 0 ? "" : " (" + held + " item(s) in flight)");
        } else if (wasConsumer) {
            log.info("Consumer {} disconnected: {}", c.number, reason);
        }
        if (!wasConsumer) {
            return;
        }
        DeliveryBook.Loss<HeldItem<T>> loss = book.lost(c.number, reason);
        for (Pending<HeldItem<T>> p : loss.redelivered()) {
            log.warn("Item {} lost with consumer {}: {}: handing it out again (attempt {} of {})", p.itemId(),
                    c.number, reason, p.attempt(), options.maxAttempts());
        }
        loss.failed().forEach(this::report);
    }

    /** Sends a frame, dropping the connection if that fails. */
    void send(FeederConnection c, QueueFrame frame, long now) {
        if (c.phase == Phase.CLOSED) {
            return;
        }
        String failed = c.send(frame, now);
        if (failed != null) {
            drop(c, failed, true);
        } else {
            toFlush(c);
        }
    }

    private void toFlush(FeederConnection c) {
        if (!c.flushQueued) {
            c.flushQueued = true;
            unflushed.add(c);
        }
    }

    /** Writes what this turn queued, one gathering write per connection; the loop calls it before it waits. */
    void flush() {
        FeederConnection c;
        while ((c = unflushed.poll()) != null) {
            c.flushQueued = false;
            if (c.phase != Phase.CLOSED && c.hasOutbound()) {
                String failed = c.flush();
                if (failed != null) {
                    drop(c, failed, false);
                }
            }
        }
    }

    void sendStop(FeederConnection c, long now) {
        sendStop(c, "the feeder is stopping", now);
    }

    private void sendStop(FeederConnection c, String reason, long now) {
        if (!c.stopSent) {
            c.stopSent = true;
            send(c, new QueueFrame.Stop(reason), now);
        }
    }

}
