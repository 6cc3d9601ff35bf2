package org.distarch.queue.consumer;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.distarch.queue.protocol.ProtocolException;
import org.distarch.queue.protocol.QueueFrame;
import org.slf4j.Logger;

/**
 * One welcomed connection of a consumer, served until it ends or a stop is asked.
 *
 * <p>The serving thread (the caller's, which runs the handler) reads the socket itself whenever it has nothing
 * in hand, so an item costs no hand-over between threads: the frame that wakes it is the item it handles. A
 * second thread, the keeper, only looks once per tick (a fifth of the network timeout) whether a handler has
 * been running the same item since the last tick; then it takes the socket over for as long as the handler
 * runs, answers the feeder's pings at once, sends the answers kept back, and passes what else it reads to the
 * serving thread through the link's inbox, giving the socket back once the handler is done. So pings are
 * answered within the network timeout however long a handler runs, and a quick item never waits for another
 * thread. A stop asked says {@code leave} to a feeder that understands it: the feeder hands out nothing more
 * and answers {@code stop}, so the consumer handles what was already on its way, answers all and closes, with
 * nothing lost in flight. To an older feeder, a stop asked while the serving thread reads (holding nothing)
 * closes the connection.
 */
final class ConsumerSession {

    private static final long IDLE_TICK_MILLIS = 1000;
    /** How long answers of quick items may wait to go out together. */
    private static final long ANSWER_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    /** Markers in the inbox, next to items. */
    record Ended(String reason) {}

    private record StopSaid(String reason) {}

    private record Wake() {}

    /** The keeper gave the socket back. */
    private record SocketFree() {}

    private final ConsumerOptions options;
    private final Logger log;
    private final ConsumerReport report;
    private final AtomicBoolean stopAsked;
    private final FeederLink link;
    private final ItemHandler handler;
    private final Answers answers;
    private final long keeperTickMillis;
    /** The item the handler runs (a sequence number), 0 while it runs none; read by the keeper. */
    private volatile long busyItem;
    // Who reads the socket; guarded by this.
    private boolean servingReads;
    private boolean keeperReads;
    private boolean closedForStop;
    private boolean over;
    private final AtomicBoolean leaveSent = new AtomicBoolean();

    ConsumerSession(ConsumerOptions options, Logger log, ConsumerReport report, AtomicBoolean stopAsked,
            FeederLink link, ItemHandler handler) {
        this.options = options;
        this.log = log;
        this.report = report;
        this.stopAsked = stopAsked;
        this.link = link;
        this.handler = handler;
        this.answers = new Answers(link);
        this.keeperTickMillis = Math.max(10, Math.min(2000, options.networkTimeout().toMillis() / 5));
    }

    /**
     * Called by {@link ConsumerClient#stop()} once {@code stopAsked} is set: says {@code leave}, or (to an older
     * feeder) closes the connection if the serving thread waits holding nothing; wakes the serving thread.
     */
    void stopAsked() {
        if (!leave()) {
            synchronized (this) {
                if (servingReads) {
                    closedForStop = true; // it holds nothing: what is on the wire, the feeder redelivers
                    link.close();
                }
            }
        }
        link.inbox.offer(new Wake());
    }

    /**
     * Says {@code leave} once, if the feeder understands it; true when it has been said (the feeder's
     * {@code stop} is then to wait for). A failed send closes the connection: the session ends.
     */
    private boolean leave() {
        if (!link.canLeave) {
            return false;
        }
        if (leaveSent.compareAndSet(false, true)) {
            try {
                link.send(new QueueFrame.Leave());
            } catch (IOException e) {
                link.close();
            }
        }
        return true;
    }

    /** Serves the connection on the caller's thread; returns why it ended. */
    String serve() throws InterruptedException {
        Thread keeper = new Thread(this::keep, "distarch-consumer-keeper");
        keeper.setDaemon(true);
        boolean stopSaid = false;
        String ended = null;
        // What one wake-up took: all its items are reported received at once, then handled in turn.
        ArrayDeque<Object> taken = new ArrayDeque<>();
        long sequence = 0;
        try {
            if (stopAsked.get()) {
                return "stop asked";
            }
            keeper.start();
            link.send(new QueueFrame.Ready(options.prefetch()));
            while (true) {
                if (taken.isEmpty()) {
                    answers.send(); // nothing left in hand: every answer goes out before we wait
                    boolean leaving = stopAsked.get() && leave(); // then its stop follows all on the way
                    if ((stopSaid || stopAsked.get() && !leaving)
                            && link.inbox.stream().noneMatch(o -> o instanceof QueueFrame.Item)) {
                        break; // everything received is answered; what is still on the wire, the feeder redelivers
                    }
                    take(taken);
                    for (Object o : taken) {
                        if (o instanceof QueueFrame.Item item) {
                            report.received(item.itemId(), item.attempt(), item.payloadJson());
                        }
                    }
                    continue;
                }
                Object next = taken.poll();
                if (next instanceof QueueFrame.Item item) {
                    busyItem = ++sequence;
                    String error = run(item);
                    busyItem = 0;
                    answers.add(item.delivery(), error, !(stopAsked.get() || stopSaid));
                    if (answers.due()) {
                        answers.send();
                    }
                } else if (next instanceof StopSaid s) {
                    stopSaid = true;
                    if (leaveSent.get()) {
                        log.debug("The feeder took our leave ({}): finishing the items held", s.reason());
                    } else {
                        log.info("The feeder is stopping: finishing the items held");
                    }
                } else if (next instanceof Ended e) {
                    ended = e.reason(); // items still queued died with the connection: the feeder deals with them
                    break;
                }
                // Wake, SocketFree: only to look again
            }
        } catch (IOException e) {
            ended = "send failed: " + e.getMessage();
        } finally {
            synchronized (this) {
                over = true;
                notifyAll();
            }
            link.close();
            keeper.interrupt();
            report.flush();
        }
        synchronized (this) {
            if (closedForStop) {
                return "stop asked";
            }
        }
        return ended != null ? ended : stopSaid && !leaveSent.get() ? "the feeder stopped" : "stop asked";
    }

    /** Waits for frames: off the socket itself, or from the inbox while the keeper has the socket. */
    private void take(ArrayDeque<Object> taken) throws InterruptedException {
        boolean fromInbox;
        synchronized (this) {
            fromInbox = keeperReads || !link.inbox.isEmpty();
            if (!fromInbox) {
                if (stopAsked.get() && !leaveSent.get()) {
                    return; // the caller sees the stop
                }
                servingReads = true;
            }
        }
        if (fromInbox) {
            Object first = link.inbox.poll(IDLE_TICK_MILLIS, TimeUnit.MILLISECONDS);
            if (first == null) {
                report.idle();
                return;
            }
            taken.add(first);
            link.inbox.drainTo(taken);
            return;
        }
        try {
            read(taken, true);
        } finally {
            synchronized (this) {
                servingReads = false;
            }
        }
    }

    /** Reads at least one frame (blocking) and those read with it; routes each; a failure ends with {@link Ended}. */
    private void read(Collection<Object> to, boolean serving) {
        try {
            QueueFrame frame = link.next();
            do {
                Object routed = route(frame, serving);
                if (routed != null) {
                    to.add(routed);
                    if (routed instanceof Ended) {
                        return;
                    }
                }
            } while ((frame = link.nextRead()) != null);
        } catch (SocketTimeoutException e) {
            to.add(new Ended("the feeder was silent for " + options.networkTimeout().toMillis() + " ms"));
        } catch (IOException e) {
            to.add(new Ended(e.getMessage() == null ? e.toString() : e.getMessage()));
        } catch (ProtocolException e) {
            to.add(new Ended("protocol error: " + e.reason()));
        }
    }

    /** What a frame means for the serving thread (an item or a marker), or null when answered here (ping). */
    private Object route(QueueFrame frame, boolean serving) throws IOException {
        if (frame instanceof QueueFrame.Item) {
            return frame;
        } else if (frame instanceof QueueFrame.Ping) {
            link.send(new QueueFrame.Pong());
            if (serving) {
                report.idle(); // idle: alive for the master too (never while a handler runs: a hang must show)
            }
            return null;
        } else if (frame instanceof QueueFrame.Stop s) {
            return new StopSaid(s.reason());
        } else if (frame instanceof QueueFrame.Error e) {
            log.warn("The feeder dropped us: {}", e.reason());
            return new Ended("the feeder dropped us: " + e.reason());
        }
        String why = "unexpected " + frame.type() + " from the feeder";
        try {
            link.send(new QueueFrame.Error(why));
        } catch (IOException ignored) {
            // closing anyway
        }
        return new Ended(why);
    }

    private String run(QueueFrame.Item item) {
        try {
            handler.handle(item.itemId(), item.attempt(), item.payload());
            return null;
        } catch (Exception | StackOverflowError e) {
            return e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getName() : e.getMessage();
        }
    }

    /** The keeper: takes the socket over while a handler runs longer than a tick. */
    private void keep() {
        long seen = 0;
        try {
            while (true) {
                synchronized (this) {
                    if (over) {
                        return;
                    }
                    wait(keeperTickMillis);
                    if (over) {
                        return;
                    }
                    long busy = busyItem;
                    if (busy == 0 || busy != seen || servingReads) {
                        seen = busy;
                        continue;
                    }
                    keeperReads = true;
                }
                answers.send(); // the answers kept back for quick items go out now, not after the slow one
                while (true) {
                    List<Object> got = new ArrayList<>();
                    read(got, false);
                    for (Object o : got) {
                        link.inbox.put(o);
                    }
                    synchronized (this) {
                        if (!got.isEmpty() && got.get(got.size() - 1) instanceof Ended) {
                            keeperReads = false;
                            return; // the connection is over; the serving thread finds out from the inbox
                        }
                        if (busyItem == 0) {
                            keeperReads = false;
                            link.inbox.put(new SocketFree());
                            break;
                        }
                    }
                }
                seen = 0;
            }
        } catch (InterruptedException e) {
            // the session is over
        } catch (IOException e) {
            link.inbox.offer(new Ended("send failed: " + e.getMessage()));
        }
    }

    /**
     * Answers not sent yet, with the credits they give back, so that a run of quick items costs one write:
     * {@code done}/{@code failed} frames in order, then one {@code ready} for all their credits. Kept back at
     * most {@link #ANSWER_DELAY_NANOS} after the first of them, never while the serving thread waits, and sent
     * by the keeper as soon as it sees a handler run long.
     */
    private static final class Answers {
        private final FeederLink link;
        private final List<QueueFrame.ConsumerFrame> frames = new ArrayList<>();
        private int credits;
        private long since;

        Answers(FeederLink link) {
            this.link = link;
        }

        synchronized void add(long delivery, String error, boolean askMore) {
            if (frames.isEmpty()) {
                since = System.nanoTime();
            }
            frames.add(error == null ? new QueueFrame.Done(delivery) : new QueueFrame.Failed(delivery, error));
            if (askMore) {
                credits++;
            }
        }

        synchronized boolean due() {
            return !frames.isEmpty() && System.nanoTime() - since >= ANSWER_DELAY_NANOS;
        }

        synchronized void send() throws IOException {
            if (frames.isEmpty()) {
                return;
            }
            if (credits > 0) {
                frames.add(new QueueFrame.Ready(credits));
            }
            QueueFrame.ConsumerFrame[] all = frames.toArray(new QueueFrame.ConsumerFrame[0]);
            frames.clear();
            credits = 0;
            link.send(all);
        }
    }
}
