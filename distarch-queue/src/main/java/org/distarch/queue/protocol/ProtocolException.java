package org.distarch.queue.protocol;

import java.util.List;

/**
 * The peer broke the queue protocol: the caller sends it an {@link QueueFrame.Error} if it can, then
 * disconnects it. The message is the reason, short and safe to log (it never echoes more than a few dozen
 * characters of the peer's data).
 *
 * <p>Thrown by {@link FrameReader#feed}, {@link FrameReader#decoded()} holds the frames that were complete
 * and valid before the bad one in the same call, in order: a feeder should still apply a {@code done} that
 * preceded the garbage, so that the item is not run twice.
 */
public class ProtocolException extends Exception {

    private static final long serialVersionUID = 1L;

    private transient List<QueueFrame> decoded = List.of();

    public ProtocolException(String reason) {
        super(reason);
    }

    public String reason() {
        return getMessage();
    }

    /** The valid frames decoded before this error by the same {@link FrameReader#feed} call; often empty. */
    public List<QueueFrame> decoded() {
        return decoded;
    }

    ProtocolException withDecoded(List<QueueFrame> frames) {
        this.decoded = List.copyOf(frames);
        return this;
    }
}
