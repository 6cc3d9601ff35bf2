package org.distarch.control.socket;

import org.distarch.control.ControlPlane;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.distarch.config.ConfigException;
import org.distarch.config.DistarchConfig;

/**
 * Serves a {@link ControlPlane} on a UNIX socket that only its owner may use (mode 0600).
 *
 * <p>One selector thread does all the socket I/O without ever blocking, so no client can hold up
 * another: a client that connects and sends nothing costs one idle entry until its
 * {@linkplain Limits#requestTimeout request timeout}, then gets a refusal and is closed. Complete requests
 * go to a small pool ({@link Limits#workers}) that calls the plane; its answer is written back by the
 * selector thread. At most {@link Limits#maxConnections} connections are open at once; the excess is
 * answered at once with a "busy" refusal. The listen backlog ({@link Limits#backlog}) holds clients that
 * connect all at once until the selector accepts them.
 */
public final class ControlServer implements AutoCloseable {

    /**
     * @param requestTimeout a client must send its complete request line within this, and read the answer
     *                       within this once it is written
     * @param answerTimeout  the plane must answer within this (the CLI waits longer by default, so it gets
     *                       this refusal rather than a timeout of its own)
     * @param maxConnections connections open at once; more are refused with a clear answer
     * @param backlog        the listen backlog (the kernel caps it at net.core.somaxconn)
     * @param workers        threads that call the plane
     */
    public record Limits(Duration requestTimeout, Duration answerTimeout, int maxConnections, int backlog,
            int workers) {

        public static final Limits DEFAULT = new Limits(Duration.ofSeconds(5), Duration.ofSeconds(20), 256, 512, 2);

        public Limits {
            if (requestTimeout.isNegative() || requestTimeout.isZero() || answerTimeout.isNegative()
                    || answerTimeout.isZero() || maxConnections < 1 || backlog < 1 || workers < 1) {
                throw new IllegalArgumentException("invalid control socket limits " + requestTimeout + ", "
                        + answerTimeout + ", " + maxConnections + ", " + backlog + ", " + workers);
            }
        }
    }

    /** STREAMING: a {@code logs} answer is out and its {@link LogStream} is being written. */
    private enum Phase { READING, WAITING, WRITING, STREAMING }

    /** The deadline of a follower with nothing to send: none, in effect. */
    private static final long IDLE_NANOS = TimeUnit.DAYS.toNanos(3650);

    /** One client connection, touched only by the selector thread. */
    private static final class Client {
        final SocketChannel channel;
        ByteBuffer request = ByteBuffer.allocate(1024);
        int scanned;
        Phase phase = Phase.READING;
        long deadline;
        ByteBuffer answer;
        /** Set by the worker that accepted a {@code logs} request, before its answer is queued. */
        volatile LogStream stream;

        Client(SocketChannel channel, long deadline) {
            this.channel = channel;
            this.deadline = deadline;
        }
    }

    private record Answer(Client client, ControlResponse response) {}

    private final Path socket;
    private final ServerSocketChannel server;
    private final Selector selector;
    private final PlaneOps ops;
    private final Limits limits;
    private final ExecutorService workers;
    private final Queue<Answer> answers = new ConcurrentLinkedQueue<>();
    private final Set<Client> clients = new HashSet<>();
    private final Thread thread;
    private final Queue<Thread> workerThreads = new ConcurrentLinkedQueue<>();
    private final LogsOp.Logs logs;
    /** Followers whose subscription has new lines; the selector thread writes them. */
    private final Queue<Client> woken = new ConcurrentLinkedQueue<>();
    private volatile boolean closed;

    /**
     * @param configs loads the configuration a reload names (null: the master's own file); throws
     *                {@link ConfigException} when it is invalid
     */
    private ControlServer(Path socket, ControlPlane plane, Function<String, DistarchConfig> configs, Limits limits,
            LogsOp.Logs logs) throws IOException {
        this.logs = logs;
        this.socket = socket;
        this.ops = new PlaneOps(plane, configs);
        this.limits = limits;
        Files.createDirectories(socket.toAbsolutePath().getParent());
        Files.deleteIfExists(socket);
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(socket), limits.backlog());
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
            server.configureBlocking(false);
            this.selector = Selector.open();
            server.register(selector, SelectionKey.OP_ACCEPT);
        } catch (IOException | RuntimeException e) {
            server.close();
            Files.deleteIfExists(socket);
            throw e;
        }
        this.workers = new ThreadPoolExecutor(limits.workers(), limits.workers(), 0, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "distarch-control-" + (workerThreads.size() + 1));
                    t.setDaemon(true);
                    workerThreads.add(t);
                    return t;
                });
        this.thread = new Thread(this::serve, "distarch-control");
        thread.setDaemon(true);
        thread.start();
    }

    public static ControlServer start(Path socket, ControlPlane plane, Function<String, DistarchConfig> configs)
            throws IOException {
        return start(socket, plane, configs, Limits.DEFAULT);
    }

    public static ControlServer start(Path socket, ControlPlane plane, Function<String, DistarchConfig> configs,
            Limits limits) throws IOException {
        return new ControlServer(socket, plane, configs, limits, null);
    }

    /**
     * A server that also serves {@code logs} (from {@code logs}) and {@code reopen-logs} (which runs
     * {@code reopenLogs}: it must return at once).
     */
    public static ControlServer start(Path socket, ControlPlane plane, Function<String, DistarchConfig> configs,
            Limits limits, org.distarch.logs.ProcessLogs logs, Runnable reopenLogs) throws IOException {
        return new ControlServer(socket, plane, configs, limits, new LogsOp.Logs(logs, reopenLogs));
    }

    public Path socket() {
        return socket;
    }

    /** Stops serving, closes every connection and waits (briefly) for the control threads to end. */
    @Override
    public void close() {
        closed = true;
        selector.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workers.shutdownNow();
        try {
            for (Thread t : workerThreads) {
                t.join(5000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            // a stale socket file is replaced at the next start
        }
    }

    // ---- the selector thread ---------------------------------------------------------------------------

    private void serve() {
        try {
            while (!closed) {
                selector.select(this::ready, waitMillis());
                for (Answer a; (a = answers.poll()) != null; ) {
                    answer(a.client(), a.response());
                }
                for (Client c; (c = woken.poll()) != null; ) {
                    if (clients.contains(c) && c.phase == Phase.STREAMING) {
                        streamOrDrop(c);
                    }
                }
                expire();
            }
        } catch (IOException | RuntimeException e) {
            // Only the selector itself failing ends up here; the socket is closed below.
        } finally {
            clients.forEach(c -> {
                closeQuietly(c.channel);
                if (c.stream != null) {
                    c.stream.close();
                }
            });
            clients.clear();
            closeQuietly(selector);
            closeQuietly(server);
        }
    }

    private long waitMillis() {
        long now = System.nanoTime();
        long next = Long.MAX_VALUE;
        for (Client c : clients) {
            next = Math.min(next, c.deadline - now);
        }
        return next == Long.MAX_VALUE ? 0 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(next) + 1);
    }

    private void ready(SelectionKey key) {
        try {
            if (key.isAcceptable()) {
                accept();
            } else if (key.isReadable()) {
                read((Client) key.attachment());
            } else if (key.isWritable()) {
                write((Client) key.attachment());
            }
        } catch (IOException | RuntimeException e) {
            // A bad client must never take the control socket down.
            if (key.attachment() instanceof Client c) {
                drop(c);
            }
        }
    }

    private void accept() throws IOException {
        SocketChannel channel;
        while ((channel = server.accept()) != null) {
            if (clients.size() >= limits.maxConnections()) {
                try {
                    channel.configureBlocking(false);
                    channel.write(line(refusal("busy: " + clients.size()
                            + " control connections are open (the most allowed); try again")));
                } catch (IOException e) {
                    // it hung up already
                } finally {
                    closeQuietly(channel);
                }
                continue;
            }
            channel.configureBlocking(false);
            Client c = new Client(channel, System.nanoTime() + limits.requestTimeout().toNanos());
            clients.add(c);
            channel.register(selector, SelectionKey.OP_READ, c);
        }
    }

    private void read(Client c) throws IOException {
        if (c.phase == Phase.STREAMING) {
            followerRead(c);
            return;
        }
        if (!c.request.hasRemaining() && c.request.capacity() <= ControlCodec.MAX_LINE) {
            ByteBuffer larger = ByteBuffer.allocate(Math.min(c.request.capacity() * 4, ControlCodec.MAX_LINE + 1));
            c.request = larger.put(c.request.flip());
        }
        int n = c.channel.read(c.request);
        int end = newline(c);
        if (end >= 0) {
            String text = new String(c.request.array(), 0, end, StandardCharsets.UTF_8);
            c.phase = Phase.WAITING;
            c.deadline = System.nanoTime() + limits.answerTimeout().toNanos();
            c.channel.keyFor(selector).interestOps(0);
            workers.execute(() -> handle(c, text).whenComplete((response, failure) -> {
                answers.add(new Answer(c, response != null ? response : failed(failure)));
                selector.wakeup();
            }));
        } else if (!c.request.hasRemaining() && c.request.capacity() > ControlCodec.MAX_LINE) {
            answer(c, refusal("request longer than " + ControlCodec.MAX_LINE + " bytes; nothing was done"));
        } else if (n < 0) {
            answer(c, refusal("the request ended without a newline; nothing was done"));
        }
    }

    private static int newline(Client c) {
        for (; c.scanned < c.request.position(); c.scanned++) {
            if (c.request.get(c.scanned) == '\n') {
                return c.scanned;
            }
        }
        return -1;
    }

    /** Starts writing the answer (the selector finishes it); ignored for a client already dropped. */
    private void answer(Client c, ControlResponse response) {
        if (!clients.contains(c) || c.phase == Phase.WRITING) {
            return;
        }
        c.phase = Phase.WRITING;
        c.answer = line(response);
        c.deadline = System.nanoTime() + limits.requestTimeout().toNanos();
        try {
            write(c);
            if (clients.contains(c)) {
                c.channel.keyFor(selector).interestOps(SelectionKey.OP_WRITE);
            }
        } catch (IOException | RuntimeException e) {
            drop(c);
        }
    }

    private void write(Client c) throws IOException {
        if (c.phase == Phase.STREAMING) {
            stream(c);
            return;
        }
        c.channel.write(c.answer);
        if (!c.answer.hasRemaining()) {
            if (c.stream != null) {
                c.phase = Phase.STREAMING;
                stream(c);
            } else {
                drop(c);
            }
        }
    }

    // ---- logs: a stream after the answer -----------------------------------------------------------------

    /**
     * Writes what the follower's stream has, as far as the socket takes it. With nothing to send it has no
     * deadline (an idle follower is never cut off); with lines pending it must read some within
     * {@link LogStream#STALL}, else it is closed.
     */
    private void stream(Client c) throws IOException {
        LogStream s = c.stream;
        SelectionKey key = c.channel.keyFor(selector);
        while (true) {
            ByteBuffer out = s.pending();
            if (!out.hasRemaining()) {
                if (s.finished()) {
                    drop(c);
                    return;
                }
                c.deadline = System.nanoTime() + IDLE_NANOS;
                key.interestOps(SelectionKey.OP_READ); // to hear the client hang up
                return;
            }
            int written = c.channel.write(out);
            if (written > 0) {
                c.deadline = System.nanoTime() + LogStream.STALL.toNanos();
            }
            if (out.hasRemaining()) {
                key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                return;
            }
        }
    }

    private void streamOrDrop(Client c) {
        try {
            stream(c);
        } catch (IOException | RuntimeException e) {
            drop(c);
        }
    }

    /** A follower sends nothing after its request: its end of file means it left, anything else is refused. */
    private void followerRead(Client c) throws IOException {
        ByteBuffer scratch = ByteBuffer.allocate(256);
        int n = c.channel.read(scratch);
        if (n != 0) {
            drop(c);
        }
    }

    /** Cuts off clients past their deadline: a stalled request gets a refusal, a stalled reader is closed. */
    private void expire() {
        long now = System.nanoTime();
        for (Client c : new ArrayList<>(clients)) {
            if (now - c.deadline < 0) {
                continue;
            }
            switch (c.phase) {
                case READING -> answer(c, refusal("no complete request line within "
                        + ControlClient.seconds(limits.requestTimeout()) + "; closing the connection, nothing was done"));
                case WAITING -> answer(c, refusal("the master did not answer within "
                        + ControlClient.seconds(limits.answerTimeout()) + " (it may be busy or stuck)"));
                case WRITING, STREAMING -> drop(c);
            }
        }
    }

    private void drop(Client c) {
        clients.remove(c);
        closeQuietly(c.channel);
        if (c.stream != null) {
            c.stream.close();
        }
    }

    // ---- the workers -------------------------------------------------------------------------------------

    private CompletableFuture<ControlResponse> handle(Client c, String line) {
        try {
            ControlRequest r = ControlCodec.request(line);
            String op = r.op() == null ? "" : r.op();
            if (r.logs() != null && !op.equals("logs")) {
                return CompletableFuture.completedFuture(refusal("\"logs\" belongs to the logs operation only; "
                        + "nothing was done"));
            }
            return switch (op) {
                case "logs" -> {
                    LogsOp.Start start = LogsOp.logs(logs, r, () -> {
                        woken.add(c);
                        selector.wakeup();
                    });
                    c.stream = start.stream();
                    yield CompletableFuture.completedFuture(start.answer());
                }
                case "reopen-logs" -> CompletableFuture.completedFuture(LogsOp.reopen(logs));
                default -> ops.answer(r);
            };
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(refusal(e.getMessage() + "; nothing was done"));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(failed(e));
        }
    }

    private static ControlResponse failed(Throwable failure) {
        return PlaneOps.failed(failure);
    }

    private static ControlResponse refusal(String message) {
        return PlaneOps.refusal(message);
    }

    private static ByteBuffer line(ControlResponse response) {
        return ByteBuffer.wrap((ControlCodec.encode(response) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // closing anyway
        }
    }
}
