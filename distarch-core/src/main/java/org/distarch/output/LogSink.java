package org.distarch.output;

/** Where log records go. Implementations are thread-safe; {@link #write} may block briefly (back-pressure). */
public interface LogSink extends AutoCloseable {

    void write(LogRecord record);

    /** Waits until every record written so far is out. */
    default void flush() {}

    @Override
    default void close() {}
}
