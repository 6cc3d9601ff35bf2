package org.distarch.output;

import java.util.List;

/** Where log records go. Implementations are thread-safe; {@link #write} may block briefly (back-pressure). */
public interface LogSink extends AutoCloseable {

    void write(LogRecord record);

    /**
     * Writes without ever blocking, for the supervision thread: when the bounded queue is full the record
     * waits in a second, larger one instead (and beyond that is dropped and counted). Worker output uses
     * {@link #write}, whose blocking is the back-pressure that slows a flooding worker.
     */
    default void offer(LogRecord record) {
        write(record);
    }

    /**
     * A line a worker printed (output, or a log line at its level), as opposed to the master's lines about it:
     * {@link #write} with its back-pressure, by default. A sink that counts or routes workers' lines overrides it.
     */
    default void output(LogRecord record) {
        write(record);
    }

    /**
     * The lines a worker printed in one read, in order: {@link #output} for each, by default. A sink that hands
     * records to another thread overrides it to hand them all over at once (one hand-over, one wake-up). The
     * list is the caller's and only valid during the call: a sink copies what it keeps.
     */
    default void output(List<LogRecord> records) {
        for (LogRecord r : records) {
            output(r);
        }
    }

    /** Waits until every record written so far is out. */
    default void flush() {}

    @Override
    default void close() {}
}
