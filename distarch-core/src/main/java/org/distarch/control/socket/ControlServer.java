package org.distarch.control.socket;

import org.distarch.control.ControlPlane;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
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
 * connect all at once until the selector accepts them. This class owns the socket, the accept loop, the
 * limits and the threads; each connection's phases, bytes and deadlines are its {@link ControlConnection}.
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

    private record Answer(ControlConnection client, ControlResponse response) {}

    private final Path socket;
    private final ServerSocketChannel server;
    private final Selector selector;
    private final PlaneOps ops;
    private final Limits limits;
    private final ExecutorService workers;
    private final Queue<Answer> answers = new ConcurrentLinkedQueue<>();
    private final Set<ControlConnection> clients = new HashSet<>();
    private final Thread thread;
    private final Queue<Thread> workerThreads = new ConcurrentLinkedQueue<>();
    private final LogsOp.Logs logs;
    /** Followers whose subscription has new lines; the selector thread writes them. */
    private final Queue<ControlConnection> woken = new ConcurrentLinkedQueue<>();
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
                    a.client().answer(a.response());
                }
                for (ControlConnection c; (c = woken.poll()) != null; ) {
                    if (c.streaming()) {
                        c.streamOrDrop();
                    }
                }
                expire();
            }
        } catch (IOException | RuntimeException e) {
            // Only the selector itself failing ends up here; the socket is closed below.
        } finally {
            clients.forEach(ControlConnection::close);
            clients.clear();
            closeQuietly(selector);
            closeQuietly(server);
        }
    }

    private long waitMillis() {
        long now = System.nanoTime();
        long next = Long.MAX_VALUE;
        for (ControlConnection c : clients) {
            next = Math.min(next, c.deadline() - now);
        }
        return next == Long.MAX_VALUE ? 0 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(next) + 1);
    }

    private void ready(SelectionKey key) {
        try {
            if (key.isAcceptable()) {
                accept();
            } else if (key.isReadable()) {
                ((ControlConnection) key.attachment()).read();
            } else if (key.isWritable()) {
                ((ControlConnection) key.attachment()).write();
            }
        } catch (IOException | RuntimeException e) {
            // A bad client must never take the control socket down.
            if (key.attachment() instanceof ControlConnection c) {
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
                    channel.write(ControlConnection.line(refusal("busy: " + clients.size()
                            + " control connections are open (the most allowed); try again")));
                } catch (IOException e) {
                    // it hung up already
                } finally {
                    closeQuietly(channel);
                }
                continue;
            }
            channel.configureBlocking(false);
            ControlConnection c = new ControlConnection(channel, selector, limits, this::requested, this::drop);
            clients.add(c);
            channel.register(selector, SelectionKey.OP_READ, c);
        }
    }

    /** Cuts off connections past their deadline (each knows what that means in its phase). */
    private void expire() {
        long now = System.nanoTime();
        for (ControlConnection c : new ArrayList<>(clients)) {
            if (now - c.deadline() >= 0) {
                c.expire();
            }
        }
    }

    private void drop(ControlConnection c) {
        clients.remove(c);
        c.close();
    }

    // ---- the workers -------------------------------------------------------------------------------------

    /** On the selector thread: a complete request line goes to the workers, its answer back to the selector. */
    private void requested(ControlConnection c, String text) {
        workers.execute(() -> handle(c, text).whenComplete((response, failure) -> {
            answers.add(new Answer(c, response != null ? response : failed(failure)));
            selector.wakeup();
        }));
    }

    private CompletableFuture<ControlResponse> handle(ControlConnection c, String line) {
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
                    c.follow(start.stream());
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

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // closing anyway
        }
    }
}
