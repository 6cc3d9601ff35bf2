package org.distarch.remote.ssh;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.distarch.remote.protocol.RelayCodec;
import org.distarch.remote.protocol.RelayFrame;

/**
 * The frames a {@link RelaySession} sends its relay, and the one writer thread per open session that writes
 * them. Frames queued while a write is under way go out together in the next one, with one flush: the
 * launches of a whole host on {@code ready}, or the stops of every process at shutdown, are one write and one
 * round trip. It is apart from the session so that the session keeps its lifecycle and this class the batching
 * and the hand-off to the writer thread.
 *
 * <p>It has no lock of its own: its state is guarded by the session's monitor ({@code lock}). Every method
 * here is called with that monitor held; the writer thread takes it only to take the batch, and writes
 * outside it, so nothing waits for the network under the session's lock.
 */
final class RelayOutbox {

    private final Object lock;
    private SessionTransport.Channel channel;
    private ThreadPoolExecutor writer;
    /** Frames for the relay not yet handed to the writer thread, and whether a write of them is queued. */
    private final StringBuilder outgoing = new StringBuilder();
    private boolean writeQueued;

    /** @param lock the session's monitor, which guards this outbox */
    RelayOutbox(Object lock) {
        this.lock = lock;
    }

    /** A session is open: frames go to its {@code channel}, written by a new thread named for {@code host}. */
    void open(SessionTransport.Channel channel, String host) {
        this.channel = channel;
        writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "distarch-ssh-out-" + host);
            t.setDaemon(true);
            return t;
        });
    }

    /** Queues a frame; dropped when no session is open (its end reports everything). */
    void send(RelayFrame frame) {
        if (writer == null) {
            return;
        }
        outgoing.append(RelayCodec.encode(frame)).append('\n');
        if (!writeQueued) {
            writeQueued = true;
            OutputStream out = channel.out();
            ThreadPoolExecutor w = writer;
            writer.execute(() -> writeOutgoing(w, out));
        }
    }

    /** Characters queued and not yet taken by the writer thread. */
    int queuedChars() {
        return outgoing.length();
    }

    /** The session ended: its writer thread ends, and what it had queued goes nowhere. */
    void shut() {
        if (writer != null) {
            writer.shutdown();
        }
        writer = null;
        outgoing.setLength(0);
        writeQueued = false;
        channel = null;
    }

    /** On the session's writer thread: everything queued so far, in one write. */
    private void writeOutgoing(ThreadPoolExecutor of, OutputStream out) {
        byte[] bytes;
        synchronized (lock) {
            if (writer != of) {
                return; // that session ended; what it had queued goes nowhere
            }
            bytes = outgoing.toString().getBytes(StandardCharsets.UTF_8);
            outgoing.setLength(0);
            writeQueued = false;
        }
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            // The session is going away; its end is handled when the reader sees it.
        }
    }
}
