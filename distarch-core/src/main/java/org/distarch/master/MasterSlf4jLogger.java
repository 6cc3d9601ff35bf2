package org.distarch.master;

import java.time.Clock;
import java.util.Map;
import org.distarch.output.LogRecord;
import org.distarch.output.LogSink;
import org.distarch.output.LogSource;
import org.distarch.worker.protocol.LevelLogger;
import org.distarch.worker.protocol.LogLevel;

/** The SLF4J logger handed to pre-run checks in the master: its lines go to the master's log. */
final class MasterSlf4jLogger extends LevelLogger {

    private static final long serialVersionUID = 1L;
    private final transient LogSink sink;
    private final transient Clock clock;
    private final transient LogSource source;

    MasterSlf4jLogger(LogSink sink, Clock clock, String group) {
        super("distarch.preRunCheck." + group);
        this.sink = sink;
        this.clock = clock;
        this.source = new LogSource(group, FleetPlanner.LOCAL_HOST, "master", 0, 0);
    }

    @Override
    protected void emit(LogLevel level, String message, Map<String, String> context) {
        sink.write(new LogRecord(clock.millis(), level, source, message, context));
    }
}
