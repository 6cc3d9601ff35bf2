package org.distarch.control.socket;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Sends one request to a master's control socket and returns its answer, all within a timeout: connecting
 * (a master whose listen backlog is full is retried until then), sending and waiting for the answer.
 * Every failure is an {@link IOException} whose message is one line for the operator.
 */
public final class ControlClient {

    /** How long the CLI waits by default: longer than the server gives the master to answer. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    /** Answers larger than this are refused (a status of many thousand processes stays far below). */
    static final int MAX_ANSWER = 64 * 1024 * 1024;

    private static final long RETRY_MILLIS = 20;

    private ControlClient() {}

    public static ControlResponse send(Path socket, ControlRequest request) throws IOException {
        return send(socket, request, DEFAULT_TIMEOUT);
    }

    /** @throws IOException when no master answers there in time; the message says why */
    public static ControlResponse send(Path socket, ControlRequest request, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        reachable(socket);
        try (SocketChannel channel = connect(socket, deadline, timeout); Selector selector = Selector.open()) {
            SelectionKey key = channel.register(selector, 0);
            ByteBuffer out = ByteBuffer.wrap((ControlCodec.encode(request) + "\n").getBytes(StandardCharsets.UTF_8));
            IOException writeFailure = null;
            while (out.hasRemaining()) {
                try {
                    channel.write(out);
                } catch (IOException e) {
                    writeFailure = e; // the master may have answered (e.g. "busy") and closed: read that
                    break;
                }
                if (out.hasRemaining()) {
                    await(selector, key, SelectionKey.OP_WRITE, deadline, socket, timeout);
                }
            }
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            ByteBuffer in = ByteBuffer.allocate(8192);
            while (true) {
                int n;
                try {
                    n = channel.read(in);
                } catch (IOException e) {
                    throw closed(socket, writeFailure != null ? writeFailure : e);
                }
                for (int i = 0; i < in.position(); i++) {
                    if (in.get(i) == '\n') {
                        answer.write(in.array(), 0, i);
                        return ControlCodec.response(answer.toString(StandardCharsets.UTF_8));
                    }
                }
                answer.write(in.array(), 0, in.position());
                in.clear();
                if (answer.size() > MAX_ANSWER) {
                    throw new IOException("the master on " + socket + " answered more than " + MAX_ANSWER + " bytes");
                }
                if (n < 0) {
                    throw closed(socket, writeFailure);
                }
                if (n == 0) {
                    await(selector, key, SelectionKey.OP_READ, deadline, socket, timeout);
                }
            }
        }
    }

    /** What a {@code logs} exchange ended with. */
    public record LogsEnd(ControlResponse answer, LogFrame.End end) {}

    /**
     * Sends a {@code logs} request: its answer must come within {@code timeout} (as for {@link #send}); once it
     * is ok, every line that follows goes to {@code lines} as it arrives, for as long as it takes (a follower
     * waits for new lines without a deadline), until the master's end frame or the connection closes (then the
     * end is null: the master stopped).
     *
     * @throws IOException when no master answers in time, or the stream breaks off with something unreadable
     */
    public static LogsEnd logs(Path socket, ControlRequest request, Duration timeout,
            java.util.function.Consumer<org.distarch.logs.LogLine> lines) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        reachable(socket);
        try (SocketChannel channel = connect(socket, deadline, timeout)) {
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            ByteBuffer in = ByteBuffer.allocate(8192);
            int end = -1;
            try (Selector selector = Selector.open()) {
                SelectionKey key = channel.register(selector, 0);
                ByteBuffer out = ByteBuffer.wrap((ControlCodec.encode(request) + "\n").getBytes(StandardCharsets.UTF_8));
                while (out.hasRemaining()) {
                    channel.write(out);
                    if (out.hasRemaining()) {
                        await(selector, key, SelectionKey.OP_WRITE, deadline, socket, timeout);
                    }
                }
                while (end < 0) {
                    int n = channel.read(in);
                    for (int i = 0; i < in.position() && end < 0; i++) {
                        if (in.get(i) == '\n') {
                            end = i;
                        }
                    }
                    if (end >= 0) {
                        break;
                    }
                    answer.write(in.array(), 0, in.position());
                    in.clear();
                    if (answer.size() > MAX_ANSWER) {
                        throw new IOException("the master on " + socket + " answered more than " + MAX_ANSWER + " bytes");
                    }
                    if (n < 0) {
                        throw closed(socket, null);
                    }
                    await(selector, key, SelectionKey.OP_READ, deadline, socket, timeout);
                }
            }
            answer.write(in.array(), 0, end);
            ControlResponse response = ControlCodec.response(answer.toString(StandardCharsets.UTF_8));
            if (response.result() == null || !response.result().ok()) {
                return new LogsEnd(response, null);
            }
            // The answer is in: from here on, lines come when the processes print them.
            channel.configureBlocking(true);
            java.io.InputStream rest = new java.io.SequenceInputStream(
                    new java.io.ByteArrayInputStream(in.array(), end + 1, in.position() - end - 1),
                    java.nio.channels.Channels.newInputStream(channel));
            java.io.BufferedReader reader = new java.io.BufferedReader(
                    new java.io.InputStreamReader(rest, StandardCharsets.UTF_8), 1 << 16);
            for (String line; (line = reader.readLine()) != null; ) {
                LogFrame frame = ControlCodec.logFrame(line);
                if (frame.end() != null) {
                    return new LogsEnd(response, frame.end());
                }
                if (frame.line() != null) {
                    lines.accept(frame.line());
                }
            }
            return new LogsEnd(response, null);
        }
    }

    /** Fails, with the reason, when the socket file is not there or cannot be reached. */
    private static void reachable(Path socket) throws IOException {
        if (Files.exists(socket)) {
            return;
        }
        if (Files.notExists(socket)) {
            throw new IOException("no master is running with control socket " + socket
                    + " (give the same --pid as the master's)");
        }
        Path dir = socket.toAbsolutePath().getParent();
        while (dir != null && !Files.exists(dir)) {
            dir = dir.getParent();
        }
        String owner = owner(dir);
        throw new IOException("permission denied: the master belongs to " + owner + " (" + dir
                + " cannot be entered by " + System.getProperty("user.name") + "); run this as " + orRoot(owner));
    }

    private static SocketChannel connect(Path socket, long deadline, Duration timeout) throws IOException {
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(socket);
        while (true) {
            SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                channel.configureBlocking(false);
                if (!channel.connect(address)) {
                    try (Selector selector = Selector.open()) {
                        SelectionKey key = channel.register(selector, 0);
                        while (!channel.finishConnect()) {
                            await(selector, key, SelectionKey.OP_CONNECT, deadline, socket, timeout);
                        }
                        key.cancel();
                        selector.selectNow();
                    }
                }
                return channel;
            } catch (IOException e) {
                channel.close();
                String reason = String.valueOf(e.getMessage());
                if (reason.contains("Resource temporarily unavailable") && System.nanoTime() - deadline < 0) {
                    sleep(); // the listen backlog is full: the master is accepting, try again
                    continue;
                }
                if (reason.contains("Permission denied")) {
                    String owner = owner(socket);
                    throw new IOException("permission denied: the master belongs to " + owner + " (its control socket "
                            + socket + " is for its owner only); run this as " + orRoot(owner), e);
                }
                if (e instanceof TimedOut) {
                    throw e;
                }
                if (reason.contains("Resource temporarily unavailable")) {
                    throw timedOut(socket, timeout);
                }
                throw new IOException("no master answers on " + socket + " (" + reason
                        + "); it may have stopped and left the file behind", e);
            }
        }
    }

    private static void await(Selector selector, SelectionKey key, int op, long deadline, Path socket,
            Duration timeout) throws IOException {
        key.interestOps(op);
        long left = deadline - System.nanoTime();
        if (left <= 0 || selector.select(Math.max(1, left / 1_000_000)) == 0 && deadline - System.nanoTime() <= 0) {
            throw timedOut(socket, timeout);
        }
        selector.selectedKeys().clear();
    }

    private static IOException closed(Path socket, IOException cause) {
        return new IOException("the master on " + socket + " closed the control connection without answering"
                + (cause == null ? "" : " (" + cause.getMessage() + ")"), cause);
    }

    private static IOException timedOut(Path socket, Duration timeout) {
        return new TimedOut("no answer from the master on " + socket + " within " + seconds(timeout)
                + " (it may be busy or stuck); an action sent may still take effect");
    }

    static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() / 1000.0 + " s";
    }

    private static String orRoot(String owner) {
        return owner.equals("root") ? "root" : owner.equals("another user") ? "its owner or root" : owner + " or root";
    }

    private static String owner(Path path) {
        try {
            return path == null ? "another user" : Files.getOwner(path).getName();
        } catch (IOException | RuntimeException e) {
            return "another user";
        }
    }

    private static void sleep() throws IOException {
        try {
            Thread.sleep(RETRY_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while connecting to the master", e);
        }
    }

    private static final class TimedOut extends IOException {
        private static final long serialVersionUID = 1L;

        TimedOut(String message) {
            super(message);
        }
    }
}
