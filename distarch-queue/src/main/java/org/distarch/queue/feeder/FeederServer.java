package org.distarch.queue.feeder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.distarch.queue.Feeder;
import org.distarch.queue.FeederControl;
import org.distarch.queue.protocol.ProtocolException;
import org.distarch.queue.protocol.QueueCodec;
import org.distarch.queue.protocol.QueueFrame;
import org.slf4j.Logger;

/**
 * The feeder: listens for consumers (TCP, and a UNIX socket on request), hands them the application's items as
 * far as their credits allow, and reports each item's outcome to the application exactly once.
 *
 * <p>One thread runs everything ({@link #run()}): a selector loop that never sleep-polls. It wakes for
 * network events, for the next timer (keepalive, timeouts, the empty source's re-ask) and for
 * {@link #itemsAvailable()} / {@link #stop()}, which other threads may call.
 *
 * <p>The bookkeeping that makes "exactly one outcome" hold: an item taken from the source is, at every moment,
 * in exactly one of three places: {@code redeliveries} (lost, waiting for another consumer), {@code inFlight}
 * (handed out, answer due), or reported (success or error, then forgotten).
 *
 * @param <T> the application's item type
 */
public final class FeederServer<T> implements FeederControl, Closeable {

    private static final int READ_BUFFER = 64 * 1024;
    private static final int MAX_CREDITS = 1_000_000;
    private static final long EMPTY_LOG_INTERVAL_MILLIS = 60_000;

    private final Feeder<T> source;
    private final FeederOptions options;
    private final ObjectMapper json;
    private final Logger log;
    private final FeederReport report;
    private final SecureRandom random = new SecureRandom();
    private final Selector selector;
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER);
    private final AtomicBoolean stopAsked = new AtomicBoolean();
    private final AtomicBoolean itemsSignal = new AtomicBoolean();
    private volatile int welcomed;

    private final List<Connection> connections = new ArrayList<>();
    private final Map<Long, Delivery<T>> inFlight = new HashMap<>();
    private final Deque<Delivery<T>> redeliveries = new ArrayDeque<>();

    private ServerSocketChannel tcp;
    private ServerSocketChannel unix;
    private Path socketFile;
    private long nextDelivery = 1;
    private long nextItemNumber = 1;
    private int nextConsumerNumber = 1;
    private int rotation;
    private long askSourceAt;
    private boolean saidEmpty;
    private long lastSaidEmpty;
    private boolean stopping;
    private long drainDeadline;
    private long lastAlive;

    private long handedOut;
    private long succeeded;
    private long failed;

    /** One hand-out of one item. */
    private record Delivery<T>(long delivery, T item, String itemId, int attempt) {}

    private enum Phase { HANDSHAKE, READY, CLOSED }

    /** One consumer connection; confined to the loop's thread. */
    private final class Connection {
        final SocketChannel channel;
        final String peer;
        final org.distarch.queue.protocol.FrameReader reader;
        final Deque<ByteBuffer> outbound = new ArrayDeque<>();
        final Map<Long, Delivery<T>> held = new HashMap<>();
        final String nonce;
        final long connectedAt;
        SelectionKey key;
        Phase phase = Phase.HANDSHAKE;
        long outboundBytes;
        long lastHeard;
        long lastSent;
        int number;
        String name = "?";
        int credits;
        boolean stopSent;

        Connection(SocketChannel channel, String peer, long now) {
            this.channel = channel;
            this.peer = peer;
            this.reader = new org.distarch.queue.protocol.FrameReader(options.maxFrame());
            this.nonce = QueueCodec.newNonce(random);
            this.connectedAt = now;
            this.lastHeard = now;
            this.lastSent = now;
        }

        String label() {
            return number > 0 ? "consumer " + number + " (" + name + ", " + peer + ")" : "client " + peer;
        }
    }

    public FeederServer(Feeder<T> source, FeederOptions options, ObjectMapper json, Logger log, FeederReport report)
            throws IOException {
        this.source = source;
        this.options = options;
        this.json = json;
        this.log = log;
        this.report = report;
        this.selector = Selector.open();
    }

    // ---- binding ---------------------------------------------------------------------------------------

    /**
     * Opens the listening sockets. A UNIX socket that cannot be opened safely is skipped with a warning (its
     * consumers fall back to TCP); a TCP port that cannot be bound is an error.
     *
     * @return what the feeder listens on, e.g. {@code tcp://0.0.0.0:9999 unix:/tmp/distarch-me/queue-9999.sock}
     */
    public String bind() throws IOException {
        tcp = ServerSocketChannel.open();
        tcp.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        tcp.bind(new InetSocketAddress(options.bindTo(), options.port()), 256);
        tcp.configureBlocking(false);
        tcp.register(selector, SelectionKey.OP_ACCEPT);
        String where = "tcp://" + options.bindTo() + ":" + tcpPort();
        if (options.socketPath() != null) {
            try {
                Path path = Path.of(options.socketPath());
                prepareSocketDirectory(path.getParent());
                Files.deleteIfExists(path);
                unix = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
                unix.bind(UnixDomainSocketAddress.of(path));
                unix.configureBlocking(false);
                unix.register(selector, SelectionKey.OP_ACCEPT);
                socketFile = path;
                where += " unix:" + path;
            } catch (IOException | UnsupportedOperationException e) {
                log.warn("UNIX socket {} not opened ({}): local consumers use TCP", options.socketPath(), e.toString());
                closeQuietly(unix);
                unix = null;
            }
        }
        return where;
    }

    /** The directory must be ours and closed to everyone else: the socket accepts anyone who can reach it. */
    private static void prepareSocketDirectory(Path dir) throws IOException {
        if (dir == null) {
            throw new IOException("the socket path has no directory");
        }
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.createDirectories(dir,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                // another feeder made it meanwhile: checked below like any existing directory
            }
        }
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(dir + " is not a directory");
        }
        String me = System.getProperty("user.name");
        String owner = Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS).getName();
        if (!owner.equals(me)) {
            throw new IOException(dir + " belongs to " + owner + ", not " + me);
        }
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
        if (perms.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
            throw new IOException(dir + " is open to other users (" + PosixFilePermissions.toString(perms) + ")");
        }
    }

    /** The bound TCP port (useful with port 0). */
    public int tcpPort() {
        return tcp == null ? -1 : ((InetSocketAddress) tcp.socket().getLocalSocketAddress()).getPort();
    }

    // ---- thread-safe controls ------------------------------------------------------------------------

    @Override
    public void itemsAvailable() {
        itemsSignal.set(true);
        selector.wakeup();
    }

    @Override
    public int connectedConsumers() {
        return welcomed;
    }

    @Override
    public void stop() {
        stopAsked.set(true);
        selector.wakeup();
    }

    // ---- the loop --------------------------------------------------------------------------------------

    /**
     * Serves consumers until {@link #stop()} and the drain that follows are over; everything handed out has
     * been reported when this returns.
     */
    public void run() throws IOException {
        if (tcp == null) {
            throw new IllegalStateException("bind() first");
        }
        log.info("Waiting for new connections");
        lastAlive = now();
        try {
            while (true) {
                long now = now();
                if (stopAsked.get() && !stopping) {
                    beginStop(now);
                }
                if (stopping && (inFlight.isEmpty() || now >= drainDeadline)) {
                    break;
                }
                if (itemsSignal.getAndSet(false)) {
                    askSourceAt = 0;
                }
                dispatch(now);
                long wait = timers(now);
                if (now - lastAlive >= 1000) {
                    lastAlive = now;
                    report.alive();
                }
                wait = Math.min(wait, Math.max(1, 1000 - (now - lastAlive)));
                selector.select(Math.max(1, wait));
                Set<SelectionKey> ready = selector.selectedKeys();
                for (SelectionKey key : ready) {
                    try {
                        handle(key);
                    } catch (RuntimeException e) {
                        // A bug met by one connection must not take the others down with the feeder.
                        log.error("Internal error while serving a connection", e);
                        if (key.attachment() instanceof FeederServer<?>.Connection c) {
                            @SuppressWarnings("unchecked")
                            Connection own = (Connection) c;
                            drop(own, "internal error: " + e, true);
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
            accept((ServerSocketChannel) key.channel());
            return;
        }
        @SuppressWarnings("unchecked")
        Connection c = (Connection) key.attachment();
        if (c == null || c.phase == Phase.CLOSED) {
            return;
        }
        if (key.isWritable()) {
            flush(c);
        }
        if (c.phase != Phase.CLOSED && key.isValid() && key.isReadable()) {
            read(c);
        }
    }

    private void accept(ServerSocketChannel server) {
        SocketChannel channel;
        try {
            channel = server.accept();
        } catch (IOException e) {
            log.warn("Accepting a consumer failed: {}", e.toString());
            return;
        }
        if (channel == null) {
            return;
        }
        long now = now();
        try {
            channel.configureBlocking(false);
            String peer;
            if (server == tcp) {
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                peer = String.valueOf(channel.getRemoteAddress()).replaceFirst("^/", "");
            } else {
                peer = "unix socket";
            }
            Connection c = new Connection(channel, peer, now);
            c.key = channel.register(selector, SelectionKey.OP_READ, c);
            connections.add(c);
            send(c, new QueueFrame.Hello(QueueCodec.PROTOCOL_VERSION, c.nonce, options.secret() != null), now);
        } catch (IOException e) {
            log.warn("Setting up a consumer connection failed: {}", e.toString());
            closeQuietly(channel);
        }
    }

    private void read(Connection c) {
        long now = now();
        int n;
        try {
            readBuffer.clear();
            n = c.channel.read(readBuffer);
        } catch (IOException e) {
            drop(c, "connection error: " + e.getMessage(), false);
            return;
        }
        if (n < 0) {
            drop(c, "connection closed", false);
            return;
        }
        readBuffer.flip();
        List<QueueFrame> frames;
        try {
            frames = c.reader.feed(readBuffer);
        } catch (ProtocolException e) {
            for (QueueFrame frame : e.decoded()) {
                if (c.phase == Phase.CLOSED) {
                    return;
                }
                onFrame(c, frame, now);
            }
            if (c.phase != Phase.CLOSED) {
                refuse(c, e.reason());
            }
            return;
        }
        for (QueueFrame frame : frames) {
            if (c.phase == Phase.CLOSED) {
                return;
            }
            onFrame(c, frame, now);
        }
    }

    private void onFrame(Connection c, QueueFrame frame, long now) {
        c.lastHeard = now;
        if (!(frame instanceof QueueFrame.ConsumerFrame)) {
            refuse(c, "a feeder frame (" + frame.type() + ") from a consumer");
            return;
        }
        if (c.phase == Phase.HANDSHAKE) {
            if (!(frame instanceof QueueFrame.Auth auth)) {
                refuse(c, "expected auth first, got " + frame.type());
                return;
            }
            authenticate(c, auth, now);
            return;
        }
        if (frame instanceof QueueFrame.Ready r) {
            c.credits = (int) Math.min(MAX_CREDITS, (long) c.credits + r.credits());
        } else if (frame instanceof QueueFrame.Done d) {
            Delivery<T> delivery = c.held.remove(d.delivery());
            if (delivery == null) {
                refuse(c, "done for delivery " + d.delivery() + ", which this consumer does not hold");
                return;
            }
            inFlight.remove(delivery.delivery());
            succeeded++;
            tellSuccess(delivery);
        } else if (frame instanceof QueueFrame.Failed f) {
            Delivery<T> delivery = c.held.remove(f.delivery());
            if (delivery == null) {
                refuse(c, "failed for delivery " + f.delivery() + ", which this consumer does not hold");
                return;
            }
            inFlight.remove(delivery.delivery());
            failed++;
            tellError(delivery, f.error());
        } else if (frame instanceof QueueFrame.Error e) {
            drop(c, "it gave up: " + e.reason(), true);
        } else if (frame instanceof QueueFrame.Auth) {
            refuse(c, "auth again after the handshake");
        }
        // Pong: lastHeard is all it is for.
    }

    private void authenticate(Connection c, QueueFrame.Auth auth, long now) {
        try {
            QueueCodec.requireVersion(auth.protocol());
        } catch (ProtocolException e) {
            refuse(c, e.reason());
            return;
        }
        if (!QueueCodec.verify(options.secret(), c.nonce, auth.proof())) {
            refuse(c, "authentication failed");
            return;
        }
        c.phase = Phase.READY;
        welcomed++;
        c.number = nextConsumerNumber++;
        c.name = auth.consumer().length() > 100 ? auth.consumer().substring(0, 100) + "..." : auth.consumer();
        log.info("Consumer {} connected: {} ({})", c.number, c.name, c.peer);
        send(c, new QueueFrame.Welcome(c.number), now);
        if (stopping) {
            sendStop(c, now);
        }
    }

    // ---- handing out -----------------------------------------------------------------------------------

    private void dispatch(long now) {
        if (stopping) {
            return;
        }
        boolean progress = true;
        while (progress) {
            progress = false;
            // A snapshot: handing out may drop a connection whose write fails.
            List<Connection> round = new ArrayList<>(connections);
            int n = round.size();
            for (int i = 0; i < n; i++) {
                Connection c = round.get((rotation + i) % n);
                if (c.phase != Phase.READY || c.credits <= 0) {
                    continue;
                }
                Delivery<T> next = nextItem(now);
                if (next == null) {
                    return;
                }
                handOut(c, next, now);
                progress = true;
            }
            rotation = n == 0 ? 0 : (rotation + 1) % n;
        }
    }

    /** A lost item first, then the source's next one; null when there is nothing to hand out now. */
    private Delivery<T> nextItem(long now) {
        while (true) {
            Delivery<T> lost = redeliveries.pollFirst();
            if (lost != null) {
                return lost;
            }
            if (now < askSourceAt) {
                return null;
            }
            T item;
            try {
                item = source.empty() ? null : source.next();
            } catch (RuntimeException e) {
                log.error("The feeder's source failed: {}", e.toString());
                item = null;
            }
            if (item == null) {
                askSourceAt = now + Math.max(1, options.emptyInterval().toMillis());
                if (!saidEmpty) {
                    saidEmpty = true;
                    // The seed's message, once per idle spell and at most once a minute: a trickle of items
                    // would otherwise print it after every one.
                    if (lastSaidEmpty == 0 || now - lastSaidEmpty >= EMPTY_LOG_INTERVAL_MILLIS) {
                        lastSaidEmpty = now;
                        log.info("Feeder queue is empty");
                    }
                }
                return null;
            }
            saidEmpty = false;
            String id = idOf(item);
            return new Delivery<>(0, item, id, 1);
        }
    }

    private String idOf(T item) {
        String id = null;
        try {
            id = source.idOf(item);
        } catch (RuntimeException e) {
            log.warn("The feeder's idOf failed: {}", e.toString());
        }
        if (id == null || id.isEmpty()) {
            id = Long.toString(nextItemNumber);
        }
        nextItemNumber++;
        return id;
    }

    private void handOut(Connection c, Delivery<T> pending, long now) {
        JsonNode payload;
        byte[] frame;
        long number = nextDelivery++;
        try {
            payload = json.valueToTree(pending.item());
            frame = QueueCodec.encode(new QueueFrame.Item(number, pending.itemId(), pending.attempt(), payload),
                    options.maxFrame());
        } catch (IllegalArgumentException e) {
            // Jackson's conversion errors and the codec's size limit both land here: this item cannot travel.
            String why = e.getMessage() != null && e.getMessage().contains("exceeds the limit")
                    ? "item too large: " + e.getMessage() : "item cannot be written as JSON: " + e.getMessage();
            log.error("Item {} not handed out: {}", pending.itemId(), why);
            failed++;
            giveUp(pending, why);
            return;
        }
        Delivery<T> delivery = new Delivery<>(number, pending.item(), pending.itemId(), pending.attempt());
        c.credits--;
        c.held.put(number, delivery);
        inFlight.put(number, delivery);
        handedOut++;
        write(c, ByteBuffer.wrap(frame), now);
    }

    // ---- outcomes: the only places that talk to the source about an item's fate ------------------------

    private void tellSuccess(Delivery<T> d) {
        try {
            source.success(d.item());
        } catch (RuntimeException e) {
            log.error("The feeder's success callback failed for item {}: {}", d.itemId(), e.toString());
        }
    }

    private void tellError(Delivery<T> d, String error) {
        try {
            source.error(d.item(), error);
        } catch (RuntimeException e) {
            log.error("The feeder's error callback failed for item {}: {}", d.itemId(), e.toString());
        }
    }

    /** The feeder's own verdict: reported to the source and to the master as a failed item. */
    private void giveUp(Delivery<T> d, String error) {
        report.itemFailed(d.itemId(), d.attempt(), error);
        tellError(d, error);
    }

    // ---- connections ending ----------------------------------------------------------------------------

    /** Protocol breach: say why if we can, then drop. */
    private void refuse(Connection c, String reason) {
        if (c.phase == Phase.CLOSED) {
            return;
        }
        try {
            if (c.outbound.isEmpty()) { // else the error would land in the middle of a frame
                byte[] bytes = QueueCodec.encode(new QueueFrame.Error(reason), options.maxFrame());
                c.channel.write(ByteBuffer.wrap(bytes)); // best effort, never waits
            }
        } catch (IOException | RuntimeException ignored) {
            // the peer is going anyway
        }
        drop(c, reason, true);
    }

    /** Closes the connection; every item it held is lost in flight: redelivered or failed. */
    private void drop(Connection c, String reason, boolean warn) {
        if (c.phase == Phase.CLOSED) {
            return;
        }
        boolean wasConsumer = c.phase == Phase.READY;
        c.phase = Phase.CLOSED;
        if (wasConsumer) {
            welcomed--;
        }
        connections.remove(c);
        if (c.key != null) {
            c.key.cancel();
        }
        closeQuietly(c.channel);
        if (warn || !c.held.isEmpty()) {
            log.warn("Disconnected {}: {}{}", c.label(), reason,
                    c.held.isEmpty() ? "" : " (" + c.held.size() + " item(s) in flight)");
        } else if (wasConsumer) {
            log.info("Consumer {} disconnected: {}", c.number, reason);
        }
        List<Delivery<T>> lost = new ArrayList<>(c.held.values());
        lost.sort((a, b) -> Long.compare(a.delivery(), b.delivery()));
        c.held.clear();
        // Re-queued in reverse so that the oldest ends up first.
        for (int i = lost.size() - 1; i >= 0; i--) {
            Delivery<T> d = lost.get(i);
            inFlight.remove(d.delivery());
            String why = "lost with consumer " + c.number + ": " + reason;
            if (!stopping && d.attempt() < options.maxAttempts()) {
                log.warn("Item {} {}: handing it out again (attempt {} of {})", d.itemId(), why, d.attempt() + 1,
                        options.maxAttempts());
                redeliveries.addFirst(new Delivery<>(0, d.item(), d.itemId(), d.attempt() + 1));
            } else {
                failed++;
                giveUp(d, why);
            }
        }
    }

    // ---- timers ----------------------------------------------------------------------------------------

    /** Runs what is due and returns how long the loop may wait for the next one, in milliseconds. */
    private long timers(long now) {
        long timeout = options.networkTimeout().toMillis();
        long ping = options.pingInterval().toMillis();
        long next = stopping ? drainDeadline : Long.MAX_VALUE;
        for (Connection c : new ArrayList<>(connections)) {
            if (c.phase == Phase.HANDSHAKE) {
                if (now - c.connectedAt >= timeout) {
                    refuse(c, "no handshake within " + timeout + " ms");
                    continue;
                }
                next = Math.min(next, c.connectedAt + timeout);
                continue;
            }
            if (now - c.lastHeard >= timeout) {
                refuse(c, (c.reader.hasPartialFrame() ? "stalled in the middle of a frame" : "silent")
                        + " for " + (now - c.lastHeard) + " ms");
                continue;
            }
            next = Math.min(next, c.lastHeard + timeout);
            if (now - c.lastSent >= ping) {
                send(c, new QueueFrame.Ping(), now);
                if (c.phase == Phase.CLOSED) {
                    continue;
                }
            }
            next = Math.min(next, c.lastSent + ping);
        }
        if (!stopping && askSourceAt > now && hasCredit()) {
            next = Math.min(next, askSourceAt);
        }
        return next == Long.MAX_VALUE ? 1000 : Math.max(1, next - now);
    }

    private boolean hasCredit() {
        for (Connection c : connections) {
            if (c.phase == Phase.READY && c.credits > 0) {
                return true;
            }
        }
        return false;
    }

    // ---- writing ---------------------------------------------------------------------------------------

    private void send(Connection c, QueueFrame frame, long now) {
        write(c, ByteBuffer.wrap(QueueCodec.encode(frame, options.maxFrame())), now);
    }

    private void write(Connection c, ByteBuffer bytes, long now) {
        if (c.phase == Phase.CLOSED) {
            return;
        }
        c.lastSent = now;
        c.outbound.addLast(bytes);
        c.outboundBytes += bytes.remaining();
        if (c.outboundBytes > options.maxOutbound()) {
            drop(c, "it does not read what it is sent (" + c.outboundBytes + " bytes waiting)", true);
            return;
        }
        flush(c);
    }

    private void flush(Connection c) {
        try {
            while (!c.outbound.isEmpty()) {
                ByteBuffer head = c.outbound.peekFirst();
                int n = c.channel.write(head);
                c.outboundBytes -= n;
                if (head.hasRemaining()) {
                    c.key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                    return;
                }
                c.outbound.pollFirst();
            }
            c.key.interestOps(SelectionKey.OP_READ);
        } catch (IOException | java.nio.channels.CancelledKeyException e) {
            drop(c, "connection error: " + e.getMessage(), false);
        }
    }

    // ---- stopping --------------------------------------------------------------------------------------

    private void beginStop(long now) {
        stopping = true;
        drainDeadline = now + options.drainTimeout().toMillis();
        log.info("Stopping... ({} item(s) in flight)", inFlight.size());
        closeQuietly(tcp);
        closeQuietly(unix);
        deleteSocketFile();
        while (!redeliveries.isEmpty()) {
            Delivery<T> d = redeliveries.pollFirst();
            failed++;
            giveUp(d, "the feeder stopped before handing it out again");
        }
        for (Connection c : new ArrayList<>(connections)) {
            if (c.phase == Phase.READY) {
                sendStop(c, now);
            } else {
                drop(c, "the feeder is stopping", false);
            }
        }
    }

    private void sendStop(Connection c, long now) {
        if (!c.stopSent) {
            c.stopSent = true;
            send(c, new QueueFrame.Stop("the feeder is stopping"), now);
        }
    }

    private void finishStop() {
        stopping = true;
        for (Connection c : new ArrayList<>(connections)) {
            drop(c, c.held.isEmpty() ? "the feeder stopped" : "the feeder stopped while it still held items", false);
        }
        while (!redeliveries.isEmpty()) {
            Delivery<T> d = redeliveries.pollFirst();
            failed++;
            giveUp(d, "the feeder stopped before handing it out again");
        }
        closeQuietly(tcp);
        closeQuietly(unix);
        deleteSocketFile();
        log.info("Feeder done: {} handed out, {} succeeded, {} failed", handedOut, succeeded, failed);
    }

    private void deleteSocketFile() {
        if (socketFile != null) {
            try {
                Files.deleteIfExists(socketFile);
            } catch (IOException ignored) {
                // a stale socket file is replaced by the next feeder
            }
            socketFile = null;
        }
    }

    @Override
    public void close() {
        closeQuietly(tcp);
        closeQuietly(unix);
        deleteSocketFile();
        closeQuietly(selector);
    }

    /** Items reported as handled, as failed, and hand-outs so far (for logs and tests). */
    public long[] counts() {
        return new long[] {succeeded, failed, handedOut};
    }

    private static long now() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
    }

    private static void closeQuietly(Closeable c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }
}
