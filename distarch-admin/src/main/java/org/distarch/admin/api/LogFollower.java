package org.distarch.admin.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executor;
import org.distarch.logs.LogLine;
import org.distarch.logs.ProcessLogs;
import org.distarch.logs.Subscription;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * One open {@code /api/v1/logs/stream}: the backlog, then each new line of its subscription, as server-sent
 * events ({@code id} = the line's sequence number, {@code event: line}). One asynchronous write at a time, and
 * nothing is taken from the subscription while one is pending: a client that reads slower than lines come
 * lets the subscription's bounded queue fill; the first line it drops ends the stream with an {@code end}
 * message (reason, last sequence number, lines dropped), so a slow client costs a bounded amount of memory and
 * never holds up the processes or the master. Holds no thread: the store's wakeup and each finished write hand
 * the next step to the log endpoints' thread.
 */
final class LogFollower {

    /** New lines that may wait for a client that reads slower than they come. */
    static final int CAPACITY = 4096;
    /** Text written in one go, at most (a few hundred average lines). */
    static final int OUT_LIMIT = 256 * 1024;
    private static final int BATCH = 256;

    private final Response response;
    private final Callback done;
    private final LineFilter filter;
    private final Executor executor;
    private final Runnable onClose;
    private final SseLines encoded;
    private List<LogLine> backlog = List.of();
    private int next;
    private Subscription live;
    private long lastSeq;
    private boolean first = true;
    private boolean writing;
    private boolean keepAlive;
    private boolean closed;

    LogFollower(Response response, Callback done, LineFilter filter, long after, Executor executor, Runnable onClose,
            SseLines encoded) {
        this.encoded = encoded;
        this.response = response;
        this.done = done;
        this.filter = filter;
        this.lastSeq = after;
        this.executor = executor;
        this.onClose = onClose;
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream;charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        response.getHeaders().put("X-Accel-Buffering", "no");
    }

    /** Begins with the follow's backlog (its last {@code lines} that pass the filter) and its subscription. */
    void start(ProcessLogs.Follow follow, int lines) {
        synchronized (this) {
            backlog = LogEndpoints.last(follow.backlog().stream().filter(filter::matches).toList(), lines);
            live = follow.live();
            if (closed) {
                live.close();
                return;
            }
        }
        executor.execute(this::pump);
    }

    /** From the store, on the thread that added a line: only hands over. */
    void wakeup() {
        try {
            executor.execute(this::pump);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the server is stopping: close() ends this stream
        }
    }

    void keepAlive() {
        synchronized (this) {
            keepAlive = true;
        }
        pump();
    }

    private void pump() {
        String text;
        boolean end;
        synchronized (this) {
            if (closed || writing || live == null) {
                return;
            }
            StringBuilder out = new StringBuilder();
            if (first) {
                out.append("retry: 2000\n\n");
                first = false;
            }
            while (next < backlog.size() && out.length() < OUT_LIMIT) {
                append(out, backlog.get(next++));
            }
            end = false;
            if (next >= backlog.size()) {
                while (out.length() < OUT_LIMIT) {
                    List<LogLine> lines = live.poll(BATCH);
                    lines.forEach(l -> append(out, l));
                    if (lines.size() < BATCH) {
                        break;
                    }
                }
                long dropped = live.dropped();
                if (dropped > 0) {
                    ObjectNode data = Json.MAPPER.createObjectNode();
                    data.put("reason", "too slow: " + dropped + " lines were dropped because this reader did not "
                            + "keep up; follow again (Last-Event-ID) to go on from the buffer");
                    data.put("lastSeq", lastSeq);
                    data.put("dropped", dropped);
                    out.append("event: end\ndata: ").append(Json.write(data)).append("\n\n");
                    end = true;
                }
            }
            if (out.length() == 0 && keepAlive) {
                out.append(": keep-alive\n\n");
            }
            keepAlive = false;
            if (out.length() == 0) {
                return;
            }
            writing = true;
            text = out.toString();
        }
        boolean last = end;
        if (last) {
            live.close();
        }
        response.write(false, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)),
                Callback.from(() -> wrote(last), this::close));
    }

    private void wrote(boolean last) {
        synchronized (this) {
            writing = false;
        }
        if (last) {
            close(null);
        } else {
            wakeup(); // on the endpoints' thread: a write that completes at once must not recurse
        }
    }

    private void append(StringBuilder out, LogLine line) {
        lastSeq = Math.max(lastSeq, line.seq());
        if (filter.matches(line)) {
            out.append(encoded.of(line));
        }
    }

    /** Ends the stream: {@code null} for a normal end, else the failure that ended it. */
    void close(Throwable failure) {
        Subscription s;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            s = live;
        }
        if (s != null) {
            s.close();
        }
        onClose.run();
        if (failure == null) {
            done.succeeded();
        } else {
            done.failed(failure);
        }
    }
}
