package org.distarch.queue.feeder;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.distarch.queue.protocol.FrameReader;
import org.distarch.queue.protocol.FrameTooLarge;
import org.distarch.queue.protocol.ProtocolException;
import org.distarch.queue.protocol.QueueCodec;
import org.distarch.queue.protocol.QueueFrame;

/**
 * One client connection of the feeder and its frame I/O: the incremental reader, the outbound queue, and the
 * times the keepalive needs. Confined to the feeder's loop thread. What the frames mean is the server's.
 */
final class FeederConnection {

    /** Before {@code welcome}, only a frame this small is read: an {@code auth} needs far less. */
    static final int HANDSHAKE_MAX_FRAME = 4096;
    /** Frames per gathering write. */
    private static final int GATHER = 64;

    enum Phase { HANDSHAKE, READY, CLOSED }

    /**
     * What one read gave: the frames completed, then possibly why the connection must end, either the peer's
     * doing ({@code ended}, e.g. "connection closed") or a protocol error to answer with {@code error}.
     */
    record Received(List<QueueFrame> frames, String ended, String protocolError) {}

    final SocketChannel channel;
    final String peer;
    final String nonce;
    final long connectedAt;
    private final FrameReader reader = new FrameReader(HANDSHAKE_MAX_FRAME);
    private final Deque<ByteBuffer> outbound = new ArrayDeque<>();
    private final int maxFrame;
    private final long maxOutbound;
    SelectionKey key;
    Phase phase = Phase.HANDSHAKE;
    long lastHeard;
    long lastSent;
    int number;
    long globalId;
    String name = "?";
    int credits;
    boolean stopSent;
    private long outboundBytes;
    private int interestOps = SelectionKey.OP_READ;
    /** True while the connection is on the loop's list of those to flush at the end of the turn. */
    boolean flushQueued;

    FeederConnection(SocketChannel channel, String peer, String nonce, long now, int maxFrame, long maxOutbound) {
        this.channel = channel;
        this.peer = peer;
        this.nonce = nonce;
        this.connectedAt = now;
        this.lastHeard = now;
        this.lastSent = now;
        this.maxFrame = maxFrame;
        this.maxOutbound = maxOutbound;
    }

    String label() {
        return number > 0 ? "consumer " + number + " (" + name + ", " + peer + ")" : "client " + peer;
    }

    /** The peer passed the handshake: from now on it may send frames up to the group's limit. */
    void welcomed(int number, long globalId, String name) {
        this.phase = Phase.READY;
        this.number = number;
        this.globalId = globalId;
        this.name = name;
        reader.limit(maxFrame);
    }

    boolean hasPartialFrame() {
        return reader.hasPartialFrame();
    }

    /** Memory this connection's reader holds for frames, for the feeder's overall accounting. */
    int heldBytes() {
        return reader.heldBytes();
    }

    /** Reads what the socket has into {@code buffer} (the loop's, shared) and cuts it into frames. */
    Received read(ByteBuffer buffer) {
        int n;
        try {
            buffer.clear();
            n = channel.read(buffer);
        } catch (IOException e) {
            return new Received(List.of(), ended(e), null);
        }
        if (n < 0) {
            return new Received(List.of(), "connection closed", null);
        }
        buffer.flip();
        try {
            return new Received(reader.feed(buffer), null, null);
        } catch (FrameTooLarge e) {
            String reason = phase == Phase.HANDSHAKE
                    ? "a frame of " + e.announcedSize() + " bytes before authentication (at most "
                            + HANDSHAKE_MAX_FRAME + " bytes until welcome)"
                    : e.reason();
            return new Received(e.decoded(), null, reason);
        } catch (ProtocolException e) {
            return new Received(e.decoded(), null, e.reason());
        }
    }

    /**
     * Queues a frame; it goes out with the next {@link #flush()}, which the loop does once per turn, so that all
     * the frames of one turn to one consumer cost one write.
     *
     * @return null, or why the connection must be dropped (the peer does not read)
     */
    String send(QueueFrame frame, long now) {
        return write(ByteBuffer.wrap(QueueCodec.encode(frame, maxFrame)), now);
    }

    /** Same as {@link #send} for a frame already encoded. */
    String write(ByteBuffer bytes, long now) {
        lastSent = now;
        outbound.addLast(bytes);
        outboundBytes += bytes.remaining();
        if (outboundBytes > maxOutbound) {
            return "it does not read what it is sent (" + outboundBytes + " bytes waiting)";
        }
        return null;
    }

    /** True when frames wait for {@link #flush()}. */
    boolean hasOutbound() {
        return !outbound.isEmpty();
    }

    /**
     * Writes as much of the outbound queue as the socket takes, in gathering writes; what it does not take
     * waits for the socket to be writable. Null, or why the connection must end.
     */
    String flush() {
        try {
            while (!outbound.isEmpty()) {
                int count = Math.min(outbound.size(), GATHER);
                ByteBuffer[] batch = new ByteBuffer[count];
                java.util.Iterator<ByteBuffer> it = outbound.iterator();
                for (int i = 0; i < count; i++) {
                    batch[i] = it.next();
                }
                outboundBytes -= channel.write(batch, 0, count);
                while (!outbound.isEmpty() && !outbound.peekFirst().hasRemaining()) {
                    outbound.pollFirst();
                }
                if (batch[count - 1].hasRemaining()) {
                    interest(SelectionKey.OP_READ | SelectionKey.OP_WRITE); // the socket is full
                    return null;
                }
            }
            interest(SelectionKey.OP_READ);
            return null;
        } catch (IOException e) {
            return ended(e);
        } catch (CancelledKeyException e) {
            return "connection error: " + e.getMessage();
        }
    }

    /**
     * Why a read or a write failed. A peer that went away (a consumer stopping while the feeder writes to it, or
     * one that reset the connection) is an ordinary end and says so; anything else is an error.
     */
    static String ended(IOException e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("Broken pipe") || message.contains("Connection reset")) {
            return "connection closed by the other end (" + message + ")";
        }
        return "connection error: " + message;
    }

    private void interest(int ops) {
        if (interestOps != ops) {
            interestOps = ops;
            key.interestOps(ops);
        }
    }

    /** Says why we hang up, if that can go out at once and between two frames; never waits. */
    void sayError(String reason) {
        try {
            flush();
            if (outbound.isEmpty()) {
                channel.write(ByteBuffer.wrap(QueueCodec.encode(new QueueFrame.Error(reason), maxFrame)));
            }
        } catch (IOException | RuntimeException ignored) {
            // the peer is going anyway
        }
    }

    /** Closes, after writing what the socket takes at once of the frames still queued (a {@code stop}, say). */
    void close() {
        if (phase != Phase.CLOSED && key != null && key.isValid()) {
            flush();
        }
        phase = Phase.CLOSED;
        if (key != null) {
            key.cancel();
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
