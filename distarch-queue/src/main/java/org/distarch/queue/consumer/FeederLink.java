package org.distarch.queue.consumer;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.distarch.queue.protocol.FrameReader;
import org.distarch.queue.protocol.ProtocolException;
import org.distarch.queue.protocol.QueueCodec;
import org.distarch.queue.protocol.QueueFrame;

/**
 * A consumer's connection to its feeder. Reads and writes go to the socket directly, never through
 * {@code Channels.newInputStream}: those streams share one lock, so a blocked read would hold up a write.
 * One thread at a time reads ({@link ConsumerSession} decides which); any thread may {@link #send}.
 */
final class FeederLink implements Closeable {

    final String where;
    /** Frames the keeper read for the serving thread, and markers; the link's own, so a dying link cannot reach the next. */
    final BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    private final Duplex socket;
    private final int maxFrame;
    private final FrameReader reader;
    private final byte[] buffer = new byte[64 * 1024];
    private final ArrayDeque<QueueFrame> pending = new ArrayDeque<>();
    /** The feeder understands {@code leave} (its hello said so); set once, before the session begins. */
    volatile boolean canLeave;

    FeederLink(Duplex socket, String where, int maxFrame) {
        this.socket = socket;
        this.where = where;
        this.maxFrame = maxFrame;
        this.reader = new FrameReader(maxFrame);
    }

    /** Writes the frames in one write. */
    synchronized void send(QueueFrame.ConsumerFrame... frames) throws IOException {
        if (frames.length == 1) {
            socket.write(QueueCodec.encode(frames[0], maxFrame));
            return;
        }
        byte[][] encoded = new byte[frames.length][];
        int length = 0;
        for (int i = 0; i < frames.length; i++) {
            encoded[i] = QueueCodec.encode(frames[i], maxFrame);
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

    /** Blocks for the next frame. */
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

    /** A frame already read off the socket, or null: never blocks. */
    QueueFrame nextRead() {
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
