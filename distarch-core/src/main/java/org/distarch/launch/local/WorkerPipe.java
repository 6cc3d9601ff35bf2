package org.distarch.launch.local;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.distarch.event.bus.EventBus;
import org.distarch.launch.LineHandler;
import org.distarch.launch.WorkerStream;
import org.distarch.output.LineSplitter;

/**
 * One output pipe of one worker (its stdout or its stderr) between the output loop, which reads it, and the
 * line threads, which cut the bytes into lines and hand them on. The bytes wait in a bounded inbox: past
 * {@link #MAX_PENDING_BYTES} the loop stops watching the pipe, so a worker whose lines cannot be taken fast
 * enough blocks in its own {@code write} (back-pressure) while every other worker's output flows on. The line
 * handler may block (the log's back-pressure), so it never runs on the loop thread; the pipe is an actor on the
 * line threads, one slice at a time, so that its lines stay in order and a flood cannot hog a line thread.
 */
final class WorkerPipe {

    /** Bytes read but not yet cut into lines, past which the pipe is no longer read. */
    static final int MAX_PENDING_BYTES = 256 * 1024;
    /** Chunks handled per turn on a line thread before the pipe goes to the back of the queue. */
    private static final int CHUNKS_PER_TURN = 8;

    final int fd;
    final WorkerStream stream;
    private final LineHandler output;
    private final int maxLineBytes;
    private final Executor lineThreads;
    private final OutputLoop loop;
    final CompletableFuture<Void> done = new CompletableFuture<>();

    // Guarded by this: shared by the loop thread (push, end, close) and the line thread of the turn.
    private final ArrayDeque<byte[]> inbox = new ArrayDeque<>();
    private int pending;
    private boolean scheduled;
    private boolean ended;
    /** Not watched by the loop because the inbox is full. */
    private boolean paused;
    /** The descriptor is closed: never watch it again (its number may already name another pipe). */
    private boolean closed;

    /** Only the line thread of the turn touches them; made at the first byte, so a quiet worker costs no buffer. */
    private LineSplitter splitter;
    /**
     * The lines cut from the chunk being fed, handed on together ({@link LineHandler#onLines}): the line thread's
     * own list for the time of that chunk, so that a burst's big list is kept per line thread, not per pipe.
     */
    private ArrayList<String> lines;
    private static final ThreadLocal<ArrayList<String>> LINES = ThreadLocal.withInitial(ArrayList::new);

    WorkerPipe(int fd, WorkerStream stream, LineHandler output, int maxLineBytes, Executor lineThreads,
            OutputLoop loop) {
        this.fd = fd;
        this.stream = stream;
        this.output = output;
        this.maxLineBytes = maxLineBytes;
        this.lineThreads = lineThreads;
        this.loop = loop;
    }

    /** Loop thread: bytes read from the pipe. */
    void push(byte[] bytes) {
        boolean schedule;
        synchronized (this) {
            inbox.add(bytes);
            pending += bytes.length;
            if (pending >= MAX_PENDING_BYTES && !paused && !closed) {
                paused = true;
                loop.unwatch(fd);
            }
            schedule = !scheduled;
            scheduled = true;
        }
        if (schedule) {
            lineThreads.execute(this::turn);
        }
    }

    /** Loop thread: the pipe reached its end (or was given up on); closes the descriptor. */
    void end() {
        boolean schedule;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (!paused) {
                loop.unwatch(fd);
            }
            Libc.close(fd);
            ended = true;
            schedule = !scheduled;
            scheduled = true;
        }
        if (schedule) {
            lineThreads.execute(this::turn);
        }
    }

    synchronized boolean paused() {
        return paused;
    }

    synchronized boolean closed() {
        return closed;
    }

    /** A line thread's turn: a few chunks, then back in the queue behind the other pipes. */
    private void turn() {
        for (int i = 0; i < CHUNKS_PER_TURN; i++) {
            byte[] chunk;
            synchronized (this) {
                chunk = inbox.poll();
                if (chunk == null) {
                    if (ended) {
                        break;
                    }
                    scheduled = false;
                    return;
                }
                pending -= chunk.length;
                if (paused && !closed && pending <= MAX_PENDING_BYTES / 2) {
                    paused = false;
                    loop.watch(fd, this);
                }
            }
            feed(chunk);
        }
        boolean finished;
        synchronized (this) {
            finished = ended && inbox.isEmpty();
        }
        if (finished) {
            finish();
        } else {
            lineThreads.execute(this::turn);
        }
    }

    private void feed(byte[] chunk) {
        if (splitter == null) {
            splitter = new LineSplitter(maxLineBytes, this::cut);
        }
        cutAndHandOn(() -> splitter.feed(chunk, 0, chunk.length));
    }

    /** Runs {@code cutting} (the splitter's work) with the line thread's list, then hands on what is left in it. */
    private void cutAndHandOn(Runnable cutting) {
        lines = LINES.get();
        try {
            cutting.run();
            handOn();
        } finally {
            lines.clear(); // the strings are not kept by the line thread
            lines = null;
        }
    }

    /** A line cut from the chunk, kept for the hand-over, which goes at once when it has {@code BATCH_LINES}. */
    private void cut(String line) {
        lines.add(line);
        if (lines.size() >= LineHandler.BATCH_LINES) {
            handOn();
            lines.clear();
        }
    }

    /**
     * The lines cut so far go on in one call (a chunk's, or {@link LineHandler#BATCH_LINES} of them): one clock
     * reading, one hand-over to each log and one wake-up of each writer for all of them, not one per line
     * (docs/design.md, "Output").
     */
    private void handOn() {
        if (lines.isEmpty()) {
            return;
        }
        try {
            // The queue item events of one read's lines (a queue process writes many item lines at once) reach each
            // listener together, in one wake-up; any other event among them goes at once (EventBus.holding).
            EventBus.holding(() -> output.onLines(stream, lines));
        } catch (RuntimeException e) {
            // A failing line handler loses those lines, not the pipe: the lines after them and the exit still come.
        }
    }

    private void finish() {
        try {
            if (splitter != null) {
                cutAndHandOn(splitter::finish);
            }
        } catch (RuntimeException e) {
            // As in handOn: the exit must still be reported.
        } finally {
            splitter = null;
            done.complete(null);
        }
    }
}
