package org.distarch.logs;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.distarch.output.BatchQueue;
import org.distarch.output.ByteLines;
import org.distarch.output.LocalTimestamps;
import org.distarch.worker.protocol.LogLevel;

/**
 * The per-process log files ({@code logs.dir}): one file per process, rotated by size ({@code FILE.1} the
 * newest of {@code backups} kept), reopened on request (for logrotate's move-and-signal). A line waits in its
 * file's list (appended under the store's lock, which the store holds anyway), and the file joins the writer's
 * {@link BatchQueue} only when it was not there yet. One writer thread, started with the first file, takes a
 * file's lines in one swap, formats each straight into the file's byte buffer (the timestamp's date and time
 * made once a second) and writes that buffer in pieces of about 64 KiB, the rest when it has caught up.
 *
 * <p>A worker that prints faster than its file is written is held, as the master's log holds it: when its file
 * has {@link #QUEUE_CAPACITY} lines waiting, the thread that reads the worker waits in {@link #awaitRoom} (the
 * store's lock let go meanwhile) until the writer has taken them, so a flood loses nothing. Only a writer that
 * takes nothing for {@link #HOLD_NANOS} (a stuck disk) makes the file drop lines instead, until it takes again:
 * they are counted, marked in the file ({@code [distarch: N lines dropped ...]}) after the lines before them, and
 * told to the master's log. The master's own marker lines never wait (the supervision thread adds them).
 */
final class LogFiles implements AutoCloseable {

    static final int QUEUE_CAPACITY = 16_384;
    /** How long a worker's reader waits for its file's writer to take lines before the file drops them. */
    static final long HOLD_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(2);
    private static final int WRITE_BYTES = 64 * 1024;
    /** A buffer holding less than this when the writer catches up is let go (a quiet process keeps none). */
    private static final int KEEP_BUFFER_BYTES = 4 * 1024;
    /** "INFO  ", "WARN  ", "ERROR ": the level and the space(s) before the origin, by ordinal. */
    private static final byte[][] LEVELS;
    /** "stdout ", "stderr ", "master ", by ordinal. */
    private static final byte[][] ORIGINS;

    static {
        LogLevel[] levels = LogLevel.values();
        LEVELS = new byte[levels.length][];
        for (LogLevel l : levels) {
            LEVELS[l.ordinal()] = (" " + l.name() + (l.name().length() == 4 ? "  " : " ")).getBytes(StandardCharsets.US_ASCII);
        }
        LogLine.Origin[] origins = LogLine.Origin.values();
        ORIGINS = new byte[origins.length][];
        for (LogLine.Origin o : origins) {
            ORIGINS[o.ordinal()] = (o.wireName() + " ").getBytes(StandardCharsets.US_ASCII);
        }
    }
    private static final Object REOPEN = new Object();
    private static final Object STOP = new Object();

    /** One file. Its stream and size belong to the writer thread. */
    static final class Target {
        final Path path;
        final long maxBytes;
        final int backups;
        /** Lines dropped since the writer last took this file's lines; guarded by the store's lock. */
        long dropped;
        volatile boolean released;
        OutputStream out;
        /** What is formatted and not yet written to {@link #out}. */
        ByteLines pending;
        /** Lines handed over and not yet taken by the writer, with their full texts; guarded by the store's lock. */
        List<LogLine> lines = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        /** In the writer's queue (lines wait in {@link #lines}); guarded by the store's lock. */
        boolean queued;
        /** A reader waited {@link #HOLD_NANOS} in vain: no more waiting until the writer takes; the store's lock. */
        boolean stuck;
        long size;
        /** Bytes formatted since the writer last caught up: a busy file keeps its buffer, a quiet one lets it go. */
        long sinceFlush;
        boolean failed;
        /** In {@link LogFiles#dirty}: checked per line instead of hashing the target. */
        boolean listed;

        Target(Path path, long maxBytes, int backups) {
            this.path = path;
            this.maxBytes = maxBytes;
            this.backups = backups;
        }
    }

    private final BatchQueue queue = new BatchQueue(QUEUE_CAPACITY, 0);
    private final LocalTimestamps times = new LocalTimestamps(ZoneId.systemDefault());
    private final ByteLines line = new ByteLines(256);
    private final Map<Path, Target> targets = new HashMap<>();
    private final Consumer<String> notices;
    /** The store's lock: it guards what the store hands over, see {@link #offer}. */
    private final Object guard;
    private final Thread writer;
    /** The writer's spare lists, swapped with a target's when it takes the target's lines. */
    private List<LogLine> takenLines = new ArrayList<>();
    private List<String> takenTexts = new ArrayList<>();
    private volatile boolean reopenAsked;
    /** Files with something written and not yet flushed; writer thread only. */
    private final Set<Target> dirty = new LinkedHashSet<>();
    private final Set<Target> open = new LinkedHashSet<>();

    LogFiles(Consumer<String> notices, Object guard) {
        this.notices = notices;
        this.guard = guard;
        this.writer = new Thread(this::run, "distarch-logfiles");
        writer.setDaemon(true);
        writer.start();
    }

    /** The file at {@code path}; two processes never share one (the store names them apart). */
    synchronized Target target(Path path, long maxBytes, int backups) {
        Target t = targets.get(path);
        if (t == null || t.released || t.maxBytes != maxBytes || t.backups != backups) {
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
            targets.remove(t.path, t);
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
     * (after {@link #awaitRoom}: its writer is stuck); never waits. The caller holds the store's lock: the line joins its file's waiting lines, and the file joins
     * the writer's queue only when it was not there yet, so a flood costs a list append per line.
     */
    void offer(Target t, LogLine line, String text) {
        if (t.lines.size() >= QUEUE_CAPACITY) {
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
                    flushAll();
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
                if (t.out != null) {
                    close(t);
                }
                return;
            }
            for (int i = 0; i < lines.size(); i++) {
                line.reset();
                format(line, lines.get(i), texts.get(i), times);
                writeBytes(t, line);
            }
            if (dropped > 0) {
                notices.accept("Per-process log file " + t.path + ": " + dropped
                        + " lines dropped (the disk did not keep up)");
                line.reset();
                line.put(("[distarch: " + dropped + " lines dropped here: the disk did not keep up]\n")
                        .getBytes(StandardCharsets.UTF_8));
                writeBytes(t, line);
            }
        } finally {
            lines.clear();
            texts.clear();
        }
    }

    /** {@code 2026-11-28 04:10:01.512 WARN  stderr text}, and a newline. */
    static void format(ByteLines out, LogLine line, String text, LocalTimestamps times) {
        times.put(out, line.epochMillis());
        out.put(LEVELS[line.level().ordinal()]);
        out.put(ORIGINS[line.origin().ordinal()]);
        out.put(text.getBytes(StandardCharsets.UTF_8));
        out.put((byte) '\n');
    }

    private void writeBytes(Target t, ByteLines bytes) {
        if (t.failed) {
            return;
        }
        try {
            if (t.out == null) {
                openFile(t);
            }
            int n = bytes.length();
            if (t.size > 0 && t.size + n > t.maxBytes) {
                writePending(t);
                rotate(t);
            }
            if (t.pending == null) {
                t.pending = new ByteLines(t.sinceFlush > 0 ? WRITE_BYTES + KEEP_BUFFER_BYTES : KEEP_BUFFER_BYTES);
            }
            t.pending.put(bytes);
            t.size += n;
            t.sinceFlush += n;
            if (t.pending.length() >= WRITE_BYTES) {
                writePending(t);
            }
            if (!t.listed) {
                t.listed = true;
                dirty.add(t);
            }
        } catch (IOException ex) {
            fail(t, ex);
        }
    }

    private void fail(Target t, IOException ex) {
        t.failed = true; // until the next reopen: one notice, not one per line
        notices.accept("Cannot write the per-process log file " + t.path + ": " + ex
                + " (its lines are not written until the files are reopened)");
        t.pending = null;
        close(t);
    }

    private static void writePending(Target t) throws IOException {
        if (t.pending != null && t.out != null) {
            t.pending.writeTo(t.out, WRITE_BYTES + KEEP_BUFFER_BYTES);
        }
    }

    private void openFile(Target t) throws IOException {
        Files.createDirectories(t.path.toAbsolutePath().getParent());
        t.out = Files.newOutputStream(t.path, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE);
        t.size = Files.size(t.path);
        open.add(t);
    }

    /** FILE → FILE.1 → … → FILE.backups (the oldest goes), then a fresh FILE. */
    private void rotate(Target t) throws IOException {
        close(t);
        Path p = t.path;
        if (t.backups == 0) {
            Files.deleteIfExists(p);
        } else {
            Files.deleteIfExists(numbered(p, t.backups));
            for (int i = t.backups - 1; i >= 1; i--) {
                Path from = numbered(p, i);
                if (Files.exists(from)) {
                    Files.move(from, numbered(p, i + 1), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            if (Files.exists(p)) {
                Files.move(p, numbered(p, 1), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        openFile(t);
    }

    static Path numbered(Path p, int n) {
        return p.resolveSibling(p.getFileName() + "." + n);
    }

    private void flushAll() {
        for (Target t : new ArrayList<>(dirty)) {
            try {
                boolean quiet = t.sinceFlush < WRITE_BYTES;
                t.sinceFlush = 0;
                writePending(t);
                if (quiet) {
                    t.pending = null;
                }
            } catch (IOException ex) {
                fail(t, ex);
            }
            t.listed = false;
        }
        dirty.clear();
    }

    private void closeAll() {
        for (Target t : new ArrayList<>(open)) {
            close(t);
            t.failed = false;
        }
        List<Target> known;
        synchronized (this) {
            known = new ArrayList<>(targets.values());
        }
        for (Target t : known) {
            t.failed = false;
        }
        open.clear();
        dirty.clear();
    }

    private void close(Target t) {
        if (t.out != null) {
            try {
                writePending(t);
            } catch (IOException ex) {
                notices.accept("Cannot write the per-process log file " + t.path + ": " + ex);
            }
            t.pending = null;
            try {
                t.out.close();
            } catch (IOException ex) {
                // what could not be written was reported when writing
            }
            t.out = null;
        }
        open.remove(t);
        dirty.remove(t);
        t.listed = false;
    }
}
