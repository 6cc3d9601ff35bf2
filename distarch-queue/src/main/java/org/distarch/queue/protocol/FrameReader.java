package org.distarch.queue.protocol;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a byte stream into queue frames, fed with whatever bytes arrive: one at a time, or many frames at
 * once. Partial frames are kept for the next {@link #feed}. The length header is checked before anything is
 * allocated, and the body buffer grows with the bytes actually received, so a peer costs at most the limit,
 * and a stalled peer only what it sent.
 *
 * <p>After a {@link ProtocolException} the reader is spent: the caller disconnects the peer. A peer that
 * stops in the middle of a frame is the caller's to time out; {@link #hasPartialFrame()} tells it apart from
 * an idle one. Not thread-safe: one reader per connection, fed by one thread.
 */
public final class FrameReader {

    private static final int INITIAL_BODY = 8 * 1024;
    /** Body buffers up to this size are kept between frames; larger ones are dropped after use. */
    private static final int KEEP_BODY = 64 * 1024;

    private int maxFrame;
    private final byte[] header = new byte[QueueCodec.HEADER_BYTES];
    private int headerFill;
    private byte[] body;
    private int bodyLength = -1;
    private int bodyFill;
    private boolean failed;

    /** A reader with the default limit, {@link QueueCodec#DEFAULT_MAX_FRAME}. */
    public FrameReader() {
        this(QueueCodec.DEFAULT_MAX_FRAME);
    }

    /** @param maxFrame the largest payload accepted, in bytes (at least 1) */
    public FrameReader(int maxFrame) {
        if (maxFrame < 1) {
            throw new IllegalArgumentException("maxFrame must be at least 1");
        }
        this.maxFrame = maxFrame;
    }

    public int maxFrame() {
        return maxFrame;
    }

    /**
     * Changes the limit for the frames whose header has not arrived yet; a frame already announced keeps the
     * limit it was checked against. The feeder reads the handshake under a small limit and raises it once the
     * peer is authenticated, so a stranger cannot make it hold a large frame.
     */
    public void limit(int maxFrame) {
        if (maxFrame < 1) {
            throw new IllegalArgumentException("maxFrame must be at least 1");
        }
        this.maxFrame = maxFrame;
    }

    /** Memory held for frames right now, in bytes: the header buffer and the body buffer as allocated. */
    public int heldBytes() {
        return header.length + (body == null ? 0 : body.length);
    }

    /**
     * Consumes all of {@code bytes} and returns the frames it completed, in order (often none).
     *
     * @throws FrameTooLarge     a header announced more than the limit (the body is not read)
     * @throws ProtocolException a zero or negative length, or a payload that is not a valid frame; its
     *                           {@link ProtocolException#decoded()} holds the good frames before it
     * @throws IllegalStateException when called again after a ProtocolException
     */
    public List<QueueFrame> feed(ByteBuffer bytes) throws ProtocolException {
        if (failed) {
            throw new IllegalStateException("this reader failed earlier; the peer must be disconnected");
        }
        List<QueueFrame> frames = new ArrayList<>();
        try {
            while (bytes.hasRemaining()) {
                if (bodyLength < 0) {
                    readHeader(bytes);
                } else {
                    readBody(bytes, frames);
                }
            }
        } catch (ProtocolException e) {
            failed = true;
            throw e.withDecoded(frames);
        }
        return frames;
    }

    /** Same as {@link #feed(ByteBuffer)} over {@code bytes[offset, offset + length)}. */
    public List<QueueFrame> feed(byte[] bytes, int offset, int length) throws ProtocolException {
        return feed(ByteBuffer.wrap(bytes, offset, length));
    }

    /** True when some bytes of a frame (header or body) arrived but not the whole frame. */
    public boolean hasPartialFrame() {
        return headerFill > 0 || bodyLength >= 0;
    }

    /** Bytes held of the current partial frame, header included. */
    public int bufferedBytes() {
        return bodyLength >= 0 ? QueueCodec.HEADER_BYTES + bodyFill : headerFill;
    }

    /** Size of the body buffer currently allocated: never more than {@link #maxFrame()}. For tests. */
    int bufferCapacity() {
        return body == null ? 0 : body.length;
    }

    private void readHeader(ByteBuffer bytes) throws ProtocolException {
        int n = Math.min(bytes.remaining(), header.length - headerFill);
        bytes.get(header, headerFill, n);
        headerFill += n;
        if (headerFill < header.length) {
            return;
        }
        int length = ByteBuffer.wrap(header).getInt();
        if (length <= 0) {
            throw new ProtocolException("malformed frame length " + length);
        }
        if (length > maxFrame) {
            throw new FrameTooLarge(length, maxFrame);
        }
        headerFill = 0;
        bodyLength = length;
        bodyFill = 0;
    }

    private void readBody(ByteBuffer bytes, List<QueueFrame> frames) throws ProtocolException {
        int n = Math.min(bytes.remaining(), bodyLength - bodyFill);
        int needed = bodyFill + n;
        if (body == null || body.length < needed) {
            int grown = body == null ? INITIAL_BODY : body.length * 2;
            byte[] bigger = new byte[Math.min(bodyLength, Math.max(needed, grown))];
            if (body != null) {
                System.arraycopy(body, 0, bigger, 0, bodyFill);
            }
            body = bigger;
        }
        bytes.get(body, bodyFill, n);
        bodyFill += n;
        if (bodyFill < bodyLength) {
            return;
        }
        int length = bodyLength;
        bodyLength = -1;
        bodyFill = 0;
        byte[] complete = body;
        if (body.length > KEEP_BODY) {
            body = null;
        }
        frames.add(QueueCodec.decode(complete, 0, length));
    }
}
