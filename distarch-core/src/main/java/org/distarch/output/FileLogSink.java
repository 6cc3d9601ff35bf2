package org.distarch.output;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The log of a master running as a service: records appended to a file that can be reopened, so that
 * log rotation by moving the file ({@code logrotate}'s default {@code create} mode) works: the rotator
 * moves the file away and sends SIGHUP, the master calls {@link #reopen()}, and what follows goes to a
 * new file at the same path while the moved file keeps everything written before.
 *
 * <p>The file is opened in append mode ({@code O_APPEND}), so other writers of the same file (the
 * service's own stderr, a {@code copytruncate} rotation) never overwrite lines. Writing, batching and
 * back-pressure are those of {@link StreamLogSink}; the reopen happens on its writer thread.
 */
public final class FileLogSink implements LogSink {

    private final Path path;
    private final StreamLogSink sink;

    private FileLogSink(Path path, StreamLogSink sink) {
        this.path = path;
        this.sink = sink;
    }

    /** Opens (creating if needed) {@code path} for appending; fails now rather than at the first line. */
    public static FileLogSink open(Path path, LogFormat format) throws IOException {
        try {
            return new FileLogSink(path, new StreamLogSink(() -> new FileOutputStream(path.toFile(), true), format));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    public Path path() {
        return path;
    }

    /**
     * Closes the file and opens {@link #path()} again (a new file if the old one was moved away), in
     * order with the records written so far. Returns at once; safe from any thread, a signal handler too.
     */
    public void reopen() {
        sink.reopen();
    }

    @Override
    public void write(LogRecord record) {
        sink.write(record);
    }

    @Override
    public void output(List<LogRecord> records) {
        sink.output(records);
    }

    @Override
    public void offer(LogRecord record) {
        sink.offer(record);
    }

    @Override
    public void flush() {
        sink.flush();
    }

    @Override
    public void close() {
        sink.close();
    }
}
