package org.distarch.logs;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The per-process log files ({@code logs.dir}): one file per process, rotated by size ({@code FILE.1} the
 * newest of {@code backups} kept), reopened on request (for logrotate's move-and-signal). One writer thread,
 * started with the first file, writes every file from one bounded queue, batching and flushing when the queue
 * runs empty; the threads that hand it lines never wait: when the queue is full the line is dropped, counted
 * for its file, marked in it ({@code [distarch: N lines dropped ...]}) when writing resumes, and told once
 * per streak to the master's log.
 */
final class LogFiles implements AutoCloseable {

    static final int QUEUE_CAPACITY = 16_384;
    private static final int BATCH = 1024;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
            .withZone(ZoneId.systemDefault());
    private static final Object REOPEN = new Object();
    private static final Object STOP = new Object();

    /** One file. Its stream and size belong to the writer thread. */
    static final class Target {
        final Path path;
        final long maxBytes;
        final int backups;
        final AtomicLong dropped = new AtomicLong();
        volatile boolean released;
        OutputStream out;
        long size;
        boolean failed;

        Target(Path path, long maxBytes, int backups) {
            this.path = path;
            this.maxBytes = maxBytes;
            this.backups = backups;
        }
    }

    private record Entry(Target target, LogLine line, String text) {}

    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final Map<Path, Target> targets = new HashMap<>();
    private final Consumer<String> notices;
    private final Thread writer;
    private volatile boolean reopenAsked;
    /** Files with something written and not yet flushed; writer thread only. */
    private final Set<Target> dirty = new LinkedHashSet<>();
    private final Set<Target> open = new LinkedHashSet<>();

    LogFiles(Consumer<String> notices) {
        this.notices = notices;
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
        queue.offer(new Entry(t, null, null)); // so the writer closes it now (if the queue is full: at the next reopen)
    }

    /** Queues a line for its file, or drops and counts it when the queue is full; never waits. */
    void offer(Target t, LogLine line, String text) {
        if (!queue.offer(new Entry(t, line, text))) {
            t.dropped.incrementAndGet();
        }
    }

    /** Every file is closed and opened again before the next line (a new file where the old one was moved). */
    void reopen() {
        reopenAsked = true;
        queue.offer(REOPEN); // only a wakeup: the flag is what counts, so a full queue loses nothing
    }

    @Override
    public void close() {
        try {
            queue.offer(STOP, 5, TimeUnit.SECONDS);
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- the writer thread ------------------------------------------------------------------------------

    private void run() {
        List<Object> batch = new ArrayList<>(BATCH);
        boolean stopping = false;
        try {
            while (!stopping) {
                batch.add(queue.take());
                queue.drainTo(batch, BATCH - 1);
                for (Object item : batch) {
                    if (reopenAsked) {
                        reopenAsked = false;
                        closeAll();
                    }
                    if (item == STOP) {
                        stopping = true;
                    } else if (item instanceof Entry e) {
                        write(e);
                    }
                }
                batch.clear();
                if (queue.isEmpty() || stopping) {
                    flushAll();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeAll();
        }
    }

    private void write(Entry e) {
        Target t = e.target();
        if (t.released) {
            if (t.out != null) {
                close(t);
            }
            return;
        }
        if (e.line() == null) {
            return;
        }
        long dropped = t.dropped.getAndSet(0);
        if (dropped > 0) {
            notices.accept("Per-process log file " + t.path + ": " + dropped + " lines dropped (the disk did not keep up)");
            writeBytes(t, ("[distarch: " + dropped + " lines dropped here: the disk did not keep up]\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        writeBytes(t, format(e.line(), e.text()));
    }

    static byte[] format(LogLine line, String text) {
        String level = line.level().name();
        StringBuilder s = new StringBuilder(text.length() + 48);
        s.append(TIME.format(Instant.ofEpochMilli(line.epochMillis()))).append(' ').append(level);
        s.append(level.length() == 4 ? "  " : " ").append(line.origin().wireName()).append(' ').append(text).append('\n');
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    private void writeBytes(Target t, byte[] bytes) {
        if (t.failed) {
            return;
        }
        try {
            if (t.out == null) {
                openFile(t);
            }
            if (t.size > 0 && t.size + bytes.length > t.maxBytes) {
                rotate(t);
            }
            t.out.write(bytes);
            t.size += bytes.length;
            dirty.add(t);
        } catch (IOException ex) {
            t.failed = true; // until the next reopen: one notice, not one per line
            notices.accept("Cannot write the per-process log file " + t.path + ": " + ex
                    + " (its lines are not written until the files are reopened)");
            close(t);
        }
    }

    private void openFile(Target t) throws IOException {
        Files.createDirectories(t.path.toAbsolutePath().getParent());
        t.out = new BufferedOutputStream(Files.newOutputStream(t.path, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE), 1 << 16);
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
                if (t.out != null) {
                    t.out.flush();
                }
            } catch (IOException ex) {
                t.failed = true;
                notices.accept("Cannot write the per-process log file " + t.path + ": " + ex);
                close(t);
            }
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
                t.out.close();
            } catch (IOException ex) {
                // what could not be written was reported when writing
            }
            t.out = null;
        }
        open.remove(t);
        dirty.remove(t);
    }
}
