package org.distarch.output;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.distarch.worker.protocol.LogLevel;

/**
 * An output stream whose lines become the master's own log records at one level. A service points
 * {@code System.out} and {@code System.err} here, so that whatever the JVM or a library prints (an
 * uncaught exception's stack trace, say) lands in the log file in order with everything else and
 * follows it when the log is reopened, instead of going to the file the service was started with.
 *
 * <p>Lines are cut as the workers' are ({@link LineSplitter}: bounded, control characters replaced). A
 * line is written when its newline arrives; {@link #flush()} does not cut a line short, {@link #close()}
 * writes a last unfinished one. Thread-safe.
 */
public final class LogOutputStream extends OutputStream {

    private final LineSplitter splitter;

    public LogOutputStream(LogSink sink, LogLevel level) {
        this.splitter = new LineSplitter(LineSplitter.DEFAULT_MAX_LINE_BYTES,
                line -> sink.write(new LogRecord(System.currentTimeMillis(), level, null, line, null)));
    }

    /** A print stream over a new {@code LogOutputStream}, for {@link System#setOut} and {@link System#setErr}. */
    public static PrintStream printStream(LogSink sink, LogLevel level) {
        return new PrintStream(new LogOutputStream(sink, level), true, StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void write(int b) {
        splitter.feed(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
        splitter.feed(bytes, offset, length);
    }

    @Override
    public synchronized void close() {
        splitter.finish();
    }
}
