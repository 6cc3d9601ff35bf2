package org.distarch.queue.consumer;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.distarch.queue.protocol.FrameReader;
import org.distarch.queue.protocol.ProtocolException;
import org.distarch.queue.protocol.QueueCodec;
import org.distarch.queue.protocol.QueueFrame;
import org.slf4j.Logger;

/**
 * A consumer: connects to its feeder (retrying with backoff while it is not up, reconnecting when it goes
 * away), asks for items as far as its prefetch window allows, runs the handler on each and answers it.
 *
 * <p>Two threads per connection: a reader that takes frames off the socket (and answers pings at once, even
 * while an item is being handled) and the caller's thread, which runs the handler. The caller's thread waits
 * on a queue, never polls.
 */
public final class ConsumerClient {

    private static final long BACKOFF_START_MILLIS = 100;
    private static final long BACKOFF_MAX_MILLIS = 2000;
    /** A feeder that refused us (wrong secret, version) will refuse again: knock less often. */
    private static final long REFUSED_BACKOFF_MILLIS = 10_000;
    private static final long IDLE_TICK_MILLIS = 1000;
    /** How long answers of quick items may wait to go out together. */
    private static final long ANSWER_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final ConsumerOptions options;
    private final Logger log;
    private final ConsumerReport report;
    private final AtomicBoolean stopAsked = new AtomicBoolean();
    private final CountDownLatch stopLatch = new CountDownLatch(1);
    private volatile Link active;

    /** The feeder said no (an {@code error} frame during the handshake), or we refuse it. */
    private static final class Refused extends ProtocolException {
        private static final long serialVersionUID = 1L;

        Refused(String reason) {
            super(reason);
        }
    }

    /** Markers the reader (or {@link #stop()}) puts in the inbox next to items. */
    private record Ended(String reason) {}

    private record StopSaid() {}

    private record Wake() {}

    public ConsumerClient(ConsumerOptions options, Logger log, ConsumerReport report) {
        this.options = options;
        this.log = log;
        this.report = report;
    }

    /** Asks the consumer to finish the items it holds and return from {@link #run}. Thread-safe. */
    public void stop() {
        stopAsked.set(true);
        stopLatch.countDown();
        Link link = active;
        if (link != null) {
            link.inbox.offer(new Wake());
        }
    }

    /** Serves feeders until {@link #stop()}: connects, handles items, reconnects. */
    public void run(ItemHandler handler) throws InterruptedException {
        long backoff = BACKOFF_START_MILLIS;
        boolean waitingLogged = false;
        while (!stopAsked.get()) {
            Link link;
            try {
                link = connect();
            } catch (IOException | ProtocolException e) {
                String why = e.getMessage() == null ? e.toString() : e.getMessage();
                if (!waitingLogged) {
                    log.info("Waiting for the feeder at {}: {}", target(), why);
                    waitingLogged = true;
                } else {
                    log.debug("Feeder at {} still unreachable: {}", target(), why);
                }
                boolean refused = e instanceof Refused;
                pause(refused ? REFUSED_BACKOFF_MILLIS : backoff);
                backoff = Math.min(BACKOFF_MAX_MILLIS, backoff * 2);
                continue;
            }
            waitingLogged = false;
            backoff = BACKOFF_START_MILLIS;
            String ended = serve(link, handler);
            if (!stopAsked.get()) {
                log.info("Connection to the feeder ended ({}): reconnecting", ended);
                pause(BACKOFF_START_MILLIS);
            }
        }
    }

    private String target() {
        return options.host() + ":" + options.port();
    }

    /** Waits before the next attempt, waking early for a stop; tells the master we are alive meanwhile. */
    private void pause(long millis) throws InterruptedException {
        report.idle();
        long jittered = millis / 2 + ThreadLocalRandom.current().nextLong(millis / 2 + 1);
        stopLatch.await(jittered, TimeUnit.MILLISECONDS);
    }

    // ---- one connection --------------------------------------------------------------------------------

    /**
     * A connected, welcomed link to the feeder. Reads and writes go to the socket directly, never through
     * {@code Channels.newInputStream}: those streams share one lock, so a blocked read would hold up a write.
     */
    private final class Link implements Closeable {
        final Duplex socket;
        final FrameReader reader = new FrameReader(options.maxFrame());
        /** Items and markers from this link's reader; a link's own, so a dying reader cannot reach the next. */
        final BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
        final byte[] buffer = new byte[64 * 1024];
        final java.util.ArrayDeque<QueueFrame> pending = new java.util.ArrayDeque<>();
        final String where;

        Link(Duplex socket, String where) {
            this.socket = socket;
            this.where = where;
        }

        /** Writes the frames in one write. */
        synchronized void send(QueueFrame.ConsumerFrame... frames) throws IOException {
            if (frames.length == 1) {
                socket.write(QueueCodec.encode(frames[0], options.maxFrame()));
                return;
            }
            byte[][] encoded = new byte[frames.length][];
            int length = 0;
            for (int i = 0; i < frames.length; i++) {
                encoded[i] = QueueCodec.encode(frames[i], options.maxFrame());
                length += encoded[i].length;
            }
            byte[] all = new byte[length];
            int at = 0;
            for (byte[] e : encoded) {
                System.arraycopy(e, 0, all, at, e.length);
                at += e.length;
            }
            socket.write(all);
        }

        /** Blocks for the next frame. Only one thread at a time reads: the handshake, then the reader. */
        QueueFrame next() throws IOException, ProtocolException {
            while (pending.isEmpty()) {
                int n = socket.read(buffer);
                if (n < 0) {
                    throw new EOFException("the feeder closed the connection");
                }
                pending.addAll(reader.feed(ByteBuffer.wrap(buffer, 0, n)));
            }
            return pending.pollFirst();
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    private Link connect() throws IOException, ProtocolException {
        Link link = open();
        try {
            handshake(link);
            return link;
        } catch (IOException | ProtocolException | RuntimeException e) {
            link.close();
            throw e;
        }
    }

    /** The UNIX socket when the feeder is on this machine and offers one, else TCP. */
    private Link open() throws IOException {
        if (options.socketPath() != null && Files.exists(Path.of(options.socketPath()))) {
            try {
                SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                try {
                    channel.connect(UnixDomainSocketAddress.of(options.socketPath()));
                } catch (IOException e) {
                    channel.close();
                    throw e;
                }
                return new Link(Duplex.of(channel), "unix:" + options.socketPath());
            } catch (IOException e) {
                log.debug("UNIX socket {} refused ({}): trying TCP", options.socketPath(), e.toString());
            }
        }
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            int timeout = (int) Math.min(Integer.MAX_VALUE, options.networkTimeout().toMillis());
            socket.connect(new InetSocketAddress(options.host(), options.port()), timeout);
            socket.setSoTimeout(timeout);
            return new Link(Duplex.of(socket), target());
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    private void handshake(Link link) throws IOException, ProtocolException {
        QueueFrame first = link.next();
        if (first instanceof QueueFrame.Error e) {
            throw new Refused("the feeder refused us: " + e.reason());
        }
        if (!(first instanceof QueueFrame.Hello hello)) {
            throw new ProtocolException("expected hello from the feeder, got " + first.type());
        }
        try {
            QueueCodec.requireVersion(hello.protocol());
        } catch (ProtocolException e) {
            link.send(new QueueFrame.Error(e.reason()));
            throw new Refused(e.reason());
        }
        if (options.secret() != null && !hello.authRequired()) {
            String why = "this consumer has a secret but the feeder asks for none: not our feeder, or misconfigured";
            link.send(new QueueFrame.Error(why));
            throw new Refused(why);
        }
        String proof = options.secret() == null ? "" : QueueCodec.proof(options.secret(), hello.nonce());
        link.send(new QueueFrame.Auth(QueueCodec.PROTOCOL_VERSION, options.name(), proof, options.globalId()));
        QueueFrame answer = link.next();
        if (answer instanceof QueueFrame.Error e) {
            throw new Refused("the feeder refused us: " + e.reason());
        }
        if (!(answer instanceof QueueFrame.Welcome welcome)) {
            throw new ProtocolException("expected welcome from the feeder, got " + answer.type());
        }
        log.info("Connected to {} as consumer {}", link.where, welcome.consumerNumber());
    }

    /** Handles items until the connection ends or a stop is asked; returns why it ended. */
    private String serve(Link link, ItemHandler handler) throws InterruptedException {
        active = link;
        BlockingQueue<Object> inbox = link.inbox;
        Thread reader = new Thread(() -> readLoop(link), "distarch-consumer-reader");
        reader.setDaemon(true);
        boolean stopSaid = false;
        String ended = null;
        Answers answers = new Answers(link);
        // What one wake-up took from the inbox: all its items are reported received at once, then handled in turn.
        ArrayDeque<Object> taken = new ArrayDeque<>();
        try {
            if (stopAsked.get()) {
                return "stop asked";
            }
            reader.start();
            link.send(new QueueFrame.Ready(options.prefetch()));
            while (true) {
                if (taken.isEmpty()) {
                    answers.send(); // nothing left in hand: every answer goes out before we wait
                    if ((stopAsked.get() || stopSaid) && inbox.stream().noneMatch(o -> o instanceof QueueFrame.Item)) {
                        break; // everything received is answered; what is still on the wire, the feeder redelivers
                    }
                    Object first = inbox.poll(IDLE_TICK_MILLIS, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        report.idle();
                        continue;
                    }
                    taken.add(first);
                    inbox.drainTo(taken);
                    for (Object o : taken) {
                        if (o instanceof QueueFrame.Item item) {
                            report.received(item.itemId(), item.attempt(), item.payload().toString());
                        }
                    }
                }
                Object next = taken.poll();
                if (next instanceof QueueFrame.Item item) {
                    answers.add(item.delivery(), run(handler, item), !(stopAsked.get() || stopSaid));
                    if (answers.due()) {
                        answers.send();
                    }
                } else if (next instanceof StopSaid) {
                    stopSaid = true;
                    log.info("The feeder is stopping: finishing the items held");
                } else if (next instanceof Ended e) {
                    ended = e.reason(); // items still queued died with the connection: the feeder deals with them
                    break;
                }
            }
        } catch (IOException e) {
            ended = "send failed: " + e.getMessage();
        } finally {
            active = null;
            link.close();
            reader.interrupt();
            report.flush();
        }
        return ended != null ? ended : stopSaid ? "the feeder stopped" : "stop asked";
    }

    /** Runs the handler on one item: null for success, else the error to answer with. */
    private static String run(ItemHandler handler, QueueFrame.Item item) {
        try {
            handler.handle(item.itemId(), item.attempt(), item.payload());
            return null;
        } catch (Exception | StackOverflowError e) {
            return e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getName() : e.getMessage();
        }
    }

    /**
     * Answers not sent yet, with the credits they give back, so that a run of quick items costs one write:
     * {@code done}/{@code failed} frames in order, then one {@code ready} for all their credits. Kept back at
     * most {@link #ANSWER_DELAY_NANOS} after the first of them, and never while the consumer waits: a slow
     * handler's answer goes out as soon as it is done.
     */
    private static final class Answers {
        private final Link link;
        private final List<QueueFrame.ConsumerFrame> frames = new ArrayList<>();
        private int credits;
        private long since;

        Answers(Link link) {
            this.link = link;
        }

        void add(long delivery, String error, boolean askMore) {
            if (frames.isEmpty()) {
                since = System.nanoTime();
            }
            frames.add(error == null ? new QueueFrame.Done(delivery) : new QueueFrame.Failed(delivery, error));
            if (askMore) {
                credits++;
            }
        }

        boolean due() {
            return !frames.isEmpty() && System.nanoTime() - since >= ANSWER_DELAY_NANOS;
        }

        void send() throws IOException {
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

    private void readLoop(Link link) {
        String reason;
        try {
            while (true) {
                {
                    QueueFrame frame = link.next();
                    if (frame instanceof QueueFrame.Item) {
                        link.inbox.put(frame);
                    } else if (frame instanceof QueueFrame.Ping) {
                        link.send(new QueueFrame.Pong());
                    } else if (frame instanceof QueueFrame.Stop) {
                        link.inbox.put(new StopSaid());
                    } else if (frame instanceof QueueFrame.Error e) {
                        log.warn("The feeder dropped us: {}", e.reason());
                        link.inbox.put(new Ended("the feeder dropped us: " + e.reason()));
                        return;
                    } else {
                        String why = "unexpected " + frame.type() + " from the feeder";
                        try {
                            link.send(new QueueFrame.Error(why));
                        } catch (IOException ignored) {
                            // closing anyway
                        }
                        link.inbox.put(new Ended(why));
                        return;
                    }
                }
            }
        } catch (SocketTimeoutException e) {
            reason = "the feeder was silent for " + options.networkTimeout().toMillis() + " ms";
        } catch (IOException e) {
            reason = e.getMessage() == null ? e.toString() : e.getMessage();
        } catch (ProtocolException e) {
            reason = "protocol error: " + e.reason();
        } catch (InterruptedException e) {
            return;
        }
        link.close();
        link.inbox.offer(new Ended(reason));
    }

    /** For tests: how long a consumer waits at most between two connection attempts. */
    public static Duration maxBackoff() {
        return Duration.ofMillis(BACKOFF_MAX_MILLIS);
    }
}
