package org.distarch.admin.api;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * One open {@code /api/v1/events} response. Messages are written asynchronously, one write at a time (Jetty
 * allows no second write while one is pending), so a stream holds no thread; a client that reads too slowly
 * to keep {@link #MAX_PENDING} messages from piling up is cut off and resumes with {@code Last-Event-ID}.
 */
final class SseClient {

    static final int MAX_PENDING = 1024;

    private final Response response;
    private final Callback done;
    private final ProcessFilter filter;
    private final Runnable onClose;
    /** The process ids this client has been shown: a process that leaves its filter is sent once more. */
    final Set<Integer> shown = new HashSet<>();
    private final ArrayDeque<ByteBuffer> pending = new ArrayDeque<>();
    private boolean writing;
    private boolean closed;

    SseClient(Response response, Callback done, ProcessFilter filter, Runnable onClose) {
        this.response = response;
        this.done = done;
        this.filter = filter;
        this.onClose = onClose;
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream;charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        response.getHeaders().put("X-Accel-Buffering", "no");
    }

    ProcessFilter filter() {
        return filter;
    }

    /** Queues one message (already in SSE form, ending with a blank line). */
    void send(String message) {
        ByteBuffer next;
        synchronized (this) {
            if (closed) {
                return;
            }
            if (pending.size() >= MAX_PENDING) {
                next = null;
            } else {
                pending.addLast(ByteBuffer.wrap(message.getBytes(StandardCharsets.UTF_8)));
                if (writing) {
                    return;
                }
                writing = true;
                next = pending.pollFirst();
            }
        }
        if (next == null) {
            close(new IllegalStateException("the client reads too slowly"));
            return;
        }
        write(next);
    }

    private void write(ByteBuffer buffer) {
        response.write(false, buffer, Callback.from(this::wrote, this::close));
    }

    private void wrote() {
        ByteBuffer next;
        synchronized (this) {
            next = pending.pollFirst();
            writing = next != null;
            if (closed) {
                return;
            }
        }
        if (next != null) {
            write(next);
        }
    }

    /** Ends the stream: {@code null} for a normal end (the server stops), else the failure that ended it. */
    void close(Throwable failure) {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            pending.clear();
        }
        onClose.run();
        if (failure == null) {
            done.succeeded();
        } else {
            done.failed(failure);
        }
    }
}
