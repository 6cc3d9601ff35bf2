package org.distarch.control.socket;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * One client connection of the {@link ControlServer} and what it is doing: reading its request line,
 * waiting for the plane's answer, writing that answer, then (for {@code logs}) streaming its
 * {@link LogStream}. It exists so that the server keeps only the accept loop, the limits and the threads,
 * while a connection's bytes, phases and deadlines live in one place. Touched only by the selector thread,
 * except {@link #follow} (a worker, before its answer is queued); it never blocks.
 */
final class ControlConnection {

    /** STREAMING: a {@code logs} answer is out and its {@link LogStream} is being written. */
    enum Phase { READING, WAITING, WRITING, STREAMING }

    /** The deadline of a follower with nothing to send: none, in effect. */
    private static final long IDLE_NANOS = TimeUnit.DAYS.toNanos(3650);

    private final SocketChannel channel;
    private final Selector selector;
    private final ControlServer.Limits limits;
    /** Takes a complete request line to the workers; its answer comes back through {@link #answer}. */
    private final BiConsumer<ControlConnection, String> requested;
    /** Forgets this connection in the server and closes it ({@link #close}). */
    private final Consumer<ControlConnection> drop;
    private ByteBuffer request = ByteBuffer.allocate(1024);
    private int scanned;
    private Phase phase = Phase.READING;
    private long deadline;
    private ByteBuffer answer;
    private boolean dropped;
    /** Set by the worker that accepted a {@code logs} request, before its answer is queued. */
    private volatile LogStream stream;

    ControlConnection(SocketChannel channel, Selector selector, ControlServer.Limits limits,
            BiConsumer<ControlConnection, String> requested, Consumer<ControlConnection> drop) {
        this.channel = channel;
        this.selector = selector;
        this.limits = limits;
        this.requested = requested;
        this.drop = drop;
        this.deadline = System.nanoTime() + limits.requestTimeout().toNanos();
    }

    long deadline() {
        return deadline;
    }

    boolean streaming() {
        return !dropped && phase == Phase.STREAMING;
    }

    /** On a worker: the {@code logs} stream to write once the answer is out. */
    void follow(LogStream s) {
        this.stream = s;
    }

    void read() throws IOException {
        if (phase == Phase.STREAMING) {
            followerRead();
            return;
        }
        if (!request.hasRemaining() && request.capacity() <= ControlCodec.MAX_LINE) {
            ByteBuffer larger = ByteBuffer.allocate(Math.min(request.capacity() * 4, ControlCodec.MAX_LINE + 1));
            request = larger.put(request.flip());
        }
        int n = channel.read(request);
        int end = newline();
        if (end >= 0) {
            String text = new String(request.array(), 0, end, StandardCharsets.UTF_8);
            phase = Phase.WAITING;
            deadline = System.nanoTime() + limits.answerTimeout().toNanos();
            channel.keyFor(selector).interestOps(0);
            requested.accept(this, text);
        } else if (!request.hasRemaining() && request.capacity() > ControlCodec.MAX_LINE) {
            answer(PlaneOps.refusal("request longer than " + ControlCodec.MAX_LINE + " bytes; nothing was done"));
        } else if (n < 0) {
            answer(PlaneOps.refusal("the request ended without a newline; nothing was done"));
        }
    }

    private int newline() {
        for (; scanned < request.position(); scanned++) {
            if (request.get(scanned) == '\n') {
                return scanned;
            }
        }
        return -1;
    }

    /** Starts writing the answer (the selector finishes it); ignored for a connection already dropped. */
    void answer(ControlResponse response) {
        if (dropped || phase == Phase.WRITING) {
            return;
        }
        phase = Phase.WRITING;
        answer = line(response);
        deadline = System.nanoTime() + limits.requestTimeout().toNanos();
        try {
            write();
            if (!dropped) {
                channel.keyFor(selector).interestOps(SelectionKey.OP_WRITE);
            }
        } catch (IOException | RuntimeException e) {
            drop.accept(this);
        }
    }

    void write() throws IOException {
        if (phase == Phase.STREAMING) {
            stream();
            return;
        }
        channel.write(answer);
        if (!answer.hasRemaining()) {
            if (stream != null) {
                phase = Phase.STREAMING;
                stream();
            } else {
                drop.accept(this);
            }
        }
    }

    // ---- logs: a stream after the answer -----------------------------------------------------------------

    /**
     * Writes what the follower's stream has, as far as the socket takes it. With nothing to send it has no
     * deadline (an idle follower is never cut off); with lines pending it must read some within
     * {@link LogStream#STALL}, else it is closed.
     */
    private void stream() throws IOException {
        LogStream s = stream;
        SelectionKey key = channel.keyFor(selector);
        while (true) {
            ByteBuffer out = s.pending();
            if (!out.hasRemaining()) {
                if (s.finished()) {
                    drop.accept(this);
                    return;
                }
                deadline = System.nanoTime() + IDLE_NANOS;
                key.interestOps(SelectionKey.OP_READ); // to hear the client hang up
                return;
            }
            int written = channel.write(out);
            if (written > 0) {
                deadline = System.nanoTime() + LogStream.STALL.toNanos();
            }
            if (out.hasRemaining()) {
                key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                return;
            }
        }
    }

    /** Its stream has new lines: writes them, or drops a follower that fails. */
    void streamOrDrop() {
        try {
            stream();
        } catch (IOException | RuntimeException e) {
            drop.accept(this);
        }
    }

    /** A follower sends nothing after its request: its end of file means it left, anything else is refused. */
    private void followerRead() throws IOException {
        ByteBuffer scratch = ByteBuffer.allocate(256);
        int n = channel.read(scratch);
        if (n != 0) {
            drop.accept(this);
        }
    }

    /** Past its deadline: a stalled request gets a refusal, a stalled reader is closed. */
    void expire() {
        switch (phase) {
            case READING -> answer(PlaneOps.refusal("no complete request line within "
                    + ControlClient.seconds(limits.requestTimeout()) + "; closing the connection, nothing was done"));
            case WAITING -> answer(PlaneOps.refusal("the master did not answer within "
                    + ControlClient.seconds(limits.answerTimeout()) + " (it may be busy or stuck)"));
            case WRITING, STREAMING -> drop.accept(this);
        }
    }

    /** Closes the socket and the stream; called by the server once it forgot this connection. */
    void close() {
        dropped = true;
        try {
            channel.close();
        } catch (IOException e) {
            // closing anyway
        }
        LogStream s = stream;
        if (s != null) {
            s.close();
        }
    }

    static ByteBuffer line(ControlResponse response) {
        return ByteBuffer.wrap((ControlCodec.encode(response) + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
