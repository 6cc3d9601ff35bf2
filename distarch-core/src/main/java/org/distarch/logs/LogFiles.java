package org.distarch.logs;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.distarch.output.BatchQueue;

/**
 * The per-process log files ({@code logs.dir}): one file per process, rotated by size ({@code FILE.1} the
 * newest of {@code backups} kept), reopened on request (for logrotate's move-and-signal). This class is the
 * hand-over between the threads that read the workers and the one writer thread: a line waits in its file's
 * list (appended under the store's lock, which the store holds anyway), and the file joins the writer's
 * {@link BatchQueue} only when it was not there yet. The writer thread, started with the first file, takes a
 * file's lines in one swap and gives them to its {@link LogFileWriter}, which formats, writes and rotates.
 *
 * <p>A worker that prints faster than its file is written is held, as the master's log holds it: when its file
 * has {@link #QUEUE_CAPACITY} lines waiting, the thread that reads the worker waits in {@link #awaitRoom} (the
 * store's lock let go meanwhile) until the writer has taken them, so a flood loses nothing. Only a writer that
 * takes nothing for {@link #HOLD_NANOS} (a stuck disk) makes the file drop lines instead, until it takes again:
 * they are counted, marked in the file ({@code [distarch: N lines dropped ...]}) after the lines before them, and
 * told to the master's log. The master's own marker lines never wait (the supervision thread adds them).
 */
final class LogFiles implements AutoCloseable {

    static final int QUEUE_CAPACITY = 4_096;
    /** How long a worker's reader waits for its file's writer to take lines before the file drops them. */
    static final long HOLD_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(2);
    private static final Object REOPEN = new Object();
    private static final Object STOP = new Object();

    /** One file's hand-over: the lines waiting for the writer. What the writer does with it is in {@link #file}. */
    static final class Target {
        /** The file's path and rotation (final, read by any thread); its stream, buffer and size: the writer's alone. */
        final LogFileWriter.FileState file;
        /** Lines dropped since the writer last took this file's lines; guarded by the store's lock. */
        long dropped;
        volatile boolean released;
        /** Lines handed over and not yet taken by the writer, with their full texts; guarded by the store's lock. */
        List<LogLine> lines = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        /** In the writer's queue (lines wait in {@link #lines}); guarded by the store's lock. */
        boolean queued;
        /** A reader waited {@link #HOLD_NANOS} in vain: no more waiting until the writer takes; the store's lock. */
        boolean stuck;

        Target(Path path, long maxBytes, int backups) {
            this.file = new LogFileWriter.FileState(path, maxBytes, backups);
        }
    }

    private final BatchQueue queue = new BatchQueue(QUEUE_CAPACITY, 0);
    private final Map<Path, Target> targets = new HashMap<>();
    /** The store's lock: it guards what the store hands over, see {@link #offer}. */
    private final Object guard;
    private final Thread writer;
    /** The writer's spare lists, swapped with a target's when it takes the target's lines. */
    private List<LogLine> takenLines = new ArrayList<>();
    private List<String> takenTexts = new ArrayList<>();
    private volatile boolean reopenAsked;
    /** Formats, writes and rotates the files; writer thread only. */
    private final LogFileWriter files;

    LogFiles(Consumer<String> notices, Object guard) {
        this.guard = guard;
        this.files = new LogFileWriter(notices);
        this.writer = new Thread(this::run, "distarch-logfiles");
        writer.setDaemon(true);
        writer.start();
    }

    /** The file at {@code path}; two processes never share one (the store names them apart). */
    synchronized Target target(Path path, long maxBytes, int backups) {
        Target t = targets.get(path);
        if (t == null || t.released || t.file.maxBytes != maxBytes || t.file.backups != backups) {
            if (t != null) {
                t.released = true;
            }
            t = new Target(path, maxBytes, backups);
            targets.put(path, t);
        }
        return t;
    }

    /** The file is no longer used (its process was removed, or its settings changed); the writer closes it. */
    void release(Target t) {
        synchronized (this) {
            t.released = true;
            targets.remove(t.file.path, t);
        }
        queue.add(t); // so the writer closes it now
    }

    /**
     * Waits while {@code t} has {@link #QUEUE_CAPACITY} lines waiting, at most {@link #HOLD_NANOS} (not at all once
     * a wait was in vain and the writer has taken nothing since). The caller holds the store's lock, which is let
     * go while it waits.
     */
    void awaitRoom(Target t) {
        if (t.lines.size() < QUEUE_CAPACITY || t.stuck) {
            return;
        }
        long deadline = System.nanoTime() + HOLD_NANOS;
        try {
            while (t.lines.size() >= QUEUE_CAPACITY && !t.released) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    t.stuck = true;
                    return;
                }
                guard.wait(Math.max(1, left / 1_000_000));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Queues a line for its file, or drops and counts it when the file has {@link #QUEUE_CAPACITY} lines waiting
     * and its writer is stuck ({@link #awaitRoom} waited in vain), or twice that in any case; never waits. A
     * batch of lines comes after one {@link #awaitRoom}, so a file may hold its capacity plus one batch. The caller
     * holds the store's lock: the line joins its file's waiting lines, and the file joins the writer's queue
     * only when it was not there yet, so a flood costs a list append per line.
     */
    void offer(Target t, LogLine line, String text) {
        int waiting = t.lines.size();
        // Twice the capacity is a ceiling whatever happens (a marker never waits, a wait may be interrupted).
        if (waiting >= QUEUE_CAPACITY && (t.stuck || t.released) || waiting >= 2 * QUEUE_CAPACITY) {
            t.dropped++;
            return;
        }
        t.lines.add(line);
        t.texts.add(text);
        if (!t.queued) {
            t.queued = true;
            queue.add(t);
        }
    }

    /** Every file is closed and opened again before the next line (a new file where the old one was moved). */
    void reopen() {
        reopenAsked = true;
        queue.add(REOPEN); // only a wakeup: the flag is what counts
    }

    @Override
    public void close() {
        try {
            queue.add(STOP);
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- the writer thread ------------------------------------------------------------------------------

    private void run() {
        boolean stopping = false;
        try {
            while (!stopping) {
                ArrayDeque<Object> batch = queue.takeAll();
                for (Object item; (item = batch.pollFirst()) != null; ) {
                    if (reopenAsked) {
                        reopenAsked = false;
                        closeAll();
                    }
                    if (item == STOP) {
                        stopping = true;
                    } else if (item instanceof Target t) {
                        write(t);
                    }
                }
                if (stopping || queue.isEmpty()) {
                    files.flushAll();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeAll();
        }
    }

    /** Writes the lines {@code t} has waiting (or closes it, released). */
    private void write(Target t) {
        List<LogLine> lines = takenLines;
        List<String> texts = takenTexts;
        long dropped;
        synchronized (guard) {
            dropped = t.dropped; // dropped after the lines taken here (drops start when the list is full)
            t.dropped = 0;
            takenLines = t.lines;
            takenTexts = t.texts;
            t.lines = lines;
            t.texts = texts;
            t.queued = false;
            t.stuck = false;
            guard.notifyAll(); // a reader waiting for room in this file
        }
        lines = takenLines;
        texts = takenTexts;
        try {
            if (t.released) {
                files.close(t.file);
                return;
            }
            files.write(t.file, lines, texts, dropped);
        } finally {
            lines.clear();
            texts.clear();
        }
    }

    private void closeAll() {
        List<LogFileWriter.FileState> known = new ArrayList<>();
        synchronized (this) {
            for (Target t : targets.values()) {
                known.add(t.file);
            }
        }
        files.closeAll(known);
    }
}
