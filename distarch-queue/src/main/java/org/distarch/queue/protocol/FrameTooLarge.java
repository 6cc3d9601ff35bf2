package org.distarch.queue.protocol;

/**
 * A frame header announced more bytes than the reader's limit. Detected from the 4-byte header alone:
 * nothing of the body was read or allocated.
 */
public final class FrameTooLarge extends ProtocolException {

    private static final long serialVersionUID = 1L;

    private final int announcedSize;
    private final int limit;

    public FrameTooLarge(int announcedSize, int limit) {
        super("frame of " + announcedSize + " bytes exceeds the limit of " + limit + " bytes");
        this.announcedSize = announcedSize;
        this.limit = limit;
    }

    public int announcedSize() {
        return announcedSize;
    }

    public int limit() {
        return limit;
    }
}
