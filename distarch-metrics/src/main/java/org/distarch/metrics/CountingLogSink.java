package org.distarch.metrics;

import io.micrometer.core.instrument.Counter;
import java.util.function.Function;
import org.distarch.output.LogRecord;
import org.distarch.output.LogSink;

/** A log sink that counts workers' own lines ({@link LogSink#output}) by group, then passes everything on. */
final class CountingLogSink implements LogSink {

    private final LogSink sink;
    private final Function<String, Counter> counter;
    /** The last group counted and its counter: a flooding worker's lines skip the map look-up. */
    private volatile Last last = new Last("", null);

    private record Last(String group, Counter counter) {}

    CountingLogSink(LogSink sink, Function<String, Counter> counter) {
        this.sink = sink;
        this.counter = counter;
    }

    @Override
    public void output(LogRecord record) {
        if (record.source() != null) {
            String group = record.source().group();
            Last l = last;
            if (l.group() != group) { // identity: a process's lines share its group's string
                l = new Last(group, counter.apply(group));
                last = l;
            }
            l.counter().increment();
        }
        sink.output(record);
    }

    @Override
    public void write(LogRecord record) {
        sink.write(record);
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
