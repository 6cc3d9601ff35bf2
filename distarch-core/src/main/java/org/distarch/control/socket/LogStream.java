package org.distarch.control.socket;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.distarch.logs.LogLine;
import org.distarch.logs.Subscription;

/**
 * What a {@code logs} connection sends after its answer: the backlog, then (when following) each new line, then
 * an end frame; touched only by the control socket's selector thread once the answer is out. At most
 * {@link #OUT_LIMIT} bytes wait for the client: beyond that no more lines are taken from the subscription, its
 * bounded queue fills, and the first line it drops ends the stream with a notice, so a slow reader costs the
 * master a bounded amount of memory and never holds anyone up.
 */
final class LogStream {

    /** Encoded lines waiting for the client, at most (a few hundred average lines). */
    static final int OUT_LIMIT = 256 * 1024;
    /** New lines that may wait in the subscription for a follower that reads slower than they come. */
    static final int SUBSCRIPTION_CAPACITY = 4096;
    /** A follower with lines pending that reads nothing for this long is closed (a healthy idle one never is). */
    static final java.time.Duration STALL = java.time.Duration.ofSeconds(30);

    private final List<LogLine> backlog;
    private int next;
    private final Subscription live;
    private ByteBuffer out = ByteBuffer.allocate(0);
    private long lastSeq;
    private boolean ended;

    /** @param live null for a plain {@code logs}: the backlog, then the end */
    LogStream(List<LogLine> backlog, Subscription live, long after) {
        this.backlog = backlog;
        this.live = live;
        this.lastSeq = after;
    }

    /** What remains to be written; refilled from the backlog and the subscription as the client reads. */
    ByteBuffer pending() {
        if (!out.hasRemaining()) {
            fill();
        }
        return out;
    }

    /** Everything, end frame included, is written: the connection can close. */
    boolean finished() {
        return ended && !out.hasRemaining();
    }

    void close() {
        if (live != null) {
            live.close();
        }
    }

    private void fill() {
        if (ended) {
            return;
        }
        StringBuilder text = new StringBuilder();
        while (next < backlog.size() && text.length() < OUT_LIMIT) {
            append(text, backlog.get(next++));
        }
        if (next >= backlog.size()) {
            if (live == null) {
                append(text, LogFrame.end("done", lastSeq, 0));
                ended = true;
            } else {
                while (text.length() < OUT_LIMIT) {
                    List<LogLine> lines = live.poll(256);
                    lines.forEach(l -> append(text, l));
                    if (lines.size() < 256) {
                        break;
                    }
                }
                long dropped = live.dropped();
                if (dropped > 0) {
                    append(text, LogFrame.end("too slow: " + dropped + " lines were dropped because this reader "
                            + "did not keep up; follow again to go on", lastSeq, dropped));
                    ended = true;
                    close();
                }
            }
        }
        out = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    private void append(StringBuilder text, LogLine line) {
        lastSeq = Math.max(lastSeq, line.seq());
        append(text, LogFrame.of(line));
    }

    private static void append(StringBuilder text, LogFrame frame) {
        text.append(ControlCodec.encode(frame)).append('\n');
    }
}
