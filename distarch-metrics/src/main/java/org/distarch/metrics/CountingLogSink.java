package org.distarch.metrics;

import io.micrometer.core.instrument.Counter;
import java.util.List;
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
            counter(record.source().group()).increment();
        }
        sink.output(record);
    }

    /** One increment per run of lines of the same group (a read's lines are one process's): not one per line. */
    @Override
    public void output(List<LogRecord> records) {
        String group = null;
        int run = 0;
        for (LogRecord r : records) {
            String g = r.source() == null ? null : r.source().group();
            if (g != group) {
                count(group, run);
                group = g;
                run = 0;
            }
            run++;
        }
        count(group, run);
        sink.output(records);
    }

    private void count(String group, int lines) {
        if (group != null && lines > 0) {
            counter(group).increment(lines);
        }
    }

    private Counter counter(String group) {
        Last l = last;
        if (l.group() != group) { // identity: a process's lines share its group's string
            l = new Last(group, counter.apply(group));
            last = l;
        }
        return l.counter();
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
