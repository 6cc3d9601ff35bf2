package org.distarch.logs;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.distarch.output.ByteLines;
import org.distarch.output.LocalTimestamps;
import org.distarch.worker.protocol.LogLevel;

/**
 * The writer thread's side of the per-process log files: formats the lines it took into a file's byte buffer
 * (the timestamp's date and time made once a second, a line's start once a millisecond per level and stream),
 * writes that buffer in pieces of about 64 KiB and the rest when the writer has caught up, rotates a file by
 * size, and closes files for a reopen. It exists apart from {@link LogFiles}, which hands lines over from the
 * workers' readers under the store's lock, so that everything here belongs to one thread and needs no lock: only
 * {@link LogFiles}'s writer thread calls it.
 */
final class LogFileWriter {

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

    /** One file as the writer sees it: its stream, what is formatted and not yet written, its size. */
    static final class FileState {
        final Path path;
        final long maxBytes;
        final int backups;
        OutputStream out;
        /** What is formatted and not yet written to {@link #out}. */
        ByteLines pending;
        long size;
        /** Bytes formatted since the writer last caught up: a busy file keeps its buffer, a quiet one lets it go. */
        long sinceFlush;
        boolean failed;
        /** In {@link LogFileWriter#dirty}: checked per line instead of hashing the file. */
        boolean listed;

        FileState(Path path, long maxBytes, int backups) {
            this.path = path;
            this.maxBytes = maxBytes;
            this.backups = backups;
        }
    }

    /** The text of a line that is all head (the drop marker). */
    private static final byte[] NO_TEXT = new byte[0];
    private final LocalTimestamps times = new LocalTimestamps(ZoneId.systemDefault());
    private final Consumer<String> notices;
    /** Files with something written and not yet flushed. */
    private final Set<FileState> dirty = new LinkedHashSet<>();
    private final Set<FileState> open = new LinkedHashSet<>();

    LogFileWriter(Consumer<String> notices) {
        this.notices = notices;
    }

    /**
     * Writes {@code lines} (with their full {@code texts}) to {@code f}, then, if the file dropped lines after
     * them, marks the count in the file and tells it to the master's log.
     */
    void write(FileState f, List<LogLine> lines, List<String> texts, long dropped) {
        for (int i = 0; i < lines.size(); i++) {
            LogLine l = lines.get(i);
            byte[] head = times.head(l.epochMillis(), LEVELS[l.level().ordinal()], ORIGINS[l.origin().ordinal()]);
            writeLine(f, head, texts.get(i).getBytes(StandardCharsets.UTF_8));
        }
        if (dropped > 0) {
            notices.accept("Per-process log file " + f.path + ": " + dropped
                    + " lines dropped (the disk did not keep up)");
            writeLine(f, ("[distarch: " + dropped + " lines dropped here: the disk did not keep up]")
                    .getBytes(StandardCharsets.UTF_8), NO_TEXT);
        }
    }

    /**
     * {@code 2026-11-28 04:10:01.512 WARN  stderr } ({@code head}), then {@code text} and a newline, into the file's
     * buffer, rotated first if it would outgrow its size.
     */
    private void writeLine(FileState f, byte[] head, byte[] text) {
        if (f.failed) {
            return;
        }
        try {
            if (f.out == null) {
                openFile(f);
            }
            int n = head.length + text.length + 1;
            if (f.size > 0 && f.size + n > f.maxBytes) {
                writePending(f);
                rotate(f);
            }
            if (f.pending == null) {
                f.pending = new ByteLines(f.sinceFlush > 0 ? WRITE_BYTES + KEEP_BUFFER_BYTES : KEEP_BUFFER_BYTES);
            }
            f.pending.put(head);
            f.pending.put(text);
            f.pending.put((byte) '\n');
            f.size += n;
            f.sinceFlush += n;
            if (f.pending.length() >= WRITE_BYTES) {
                writePending(f);
            }
            if (!f.listed) {
                f.listed = true;
                dirty.add(f);
            }
        } catch (IOException ex) {
            fail(f, ex);
        }
    }

    private void fail(FileState f, IOException ex) {
        f.failed = true; // until the next reopen: one notice, not one per line
        notices.accept("Cannot write the per-process log file " + f.path + ": " + ex
                + " (its lines are not written until the files are reopened)");
        f.pending = null;
        close(f);
    }

    private static void writePending(FileState f) throws IOException {
        if (f.pending != null && f.out != null) {
            f.pending.writeTo(f.out, WRITE_BYTES + KEEP_BUFFER_BYTES);
        }
    }

    private void openFile(FileState f) throws IOException {
        Files.createDirectories(f.path.toAbsolutePath().getParent());
        f.out = Files.newOutputStream(f.path, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE);
        f.size = Files.size(f.path);
        open.add(f);
    }

    /** FILE → FILE.1 → … → FILE.backups (the oldest goes), then a fresh FILE. */
    private void rotate(FileState f) throws IOException {
        close(f);
        Path p = f.path;
        if (f.backups == 0) {
            Files.deleteIfExists(p);
        } else {
            Files.deleteIfExists(numbered(p, f.backups));
            for (int i = f.backups - 1; i >= 1; i--) {
                Path from = numbered(p, i);
                if (Files.exists(from)) {
                    Files.move(from, numbered(p, i + 1), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            if (Files.exists(p)) {
                Files.move(p, numbered(p, 1), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        openFile(f);
    }

    static Path numbered(Path p, int n) {
        return p.resolveSibling(p.getFileName() + "." + n);
    }

    /** The writer has caught up: what every file has formatted is written, and a quiet file's buffer let go. */
    void flushAll() {
        for (FileState f : new ArrayList<>(dirty)) {
            try {
                boolean quiet = f.sinceFlush < WRITE_BYTES;
                f.sinceFlush = 0;
                writePending(f);
                if (quiet) {
                    f.pending = null;
                }
            } catch (IOException ex) {
                fail(f, ex);
            }
            f.listed = false;
        }
        dirty.clear();
    }

    /**
     * Closes every open file (the next line opens it again: a new file where the old one was moved) and lets
     * every file, {@code known} ones that are not open included, try writing again after a failure.
     */
    void closeAll(List<FileState> known) {
        for (FileState f : new ArrayList<>(open)) {
            close(f);
            f.failed = false;
        }
        for (FileState f : known) {
            f.failed = false;
        }
        open.clear();
        dirty.clear();
    }

    /** Writes what {@code f} has formatted and closes it, if it is open. */
    void close(FileState f) {
        if (f.out != null) {
            try {
                writePending(f);
            } catch (IOException ex) {
                notices.accept("Cannot write the per-process log file " + f.path + ": " + ex);
            }
            f.pending = null;
            try {
                f.out.close();
            } catch (IOException ex) {
                // what could not be written was reported when writing
            }
            f.out = null;
        }
        open.remove(f);
        dirty.remove(f);
        f.listed = false;
    }
}
