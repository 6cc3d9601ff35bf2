package org.distarch.master;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import org.distarch.output.LogRecord;
import org.distarch.output.LogSink;
import org.distarch.output.LogSource;
import org.distarch.worker.protocol.LogLevel;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/** The SLF4J logger handed to pre-run checks in the master: its lines go to the master's log. */
final class MasterSlf4jLogger extends LegacyAbstractLogger {

    private static final long serialVersionUID = 1L;
    private final transient LogSink sink;
    private final transient Clock clock;
    private final transient LogSource source;

    MasterSlf4jLogger(LogSink sink, Clock clock, String group) {
        this.sink = sink;
        this.clock = clock;
        this.source = new LogSource(group, FleetPlanner.LOCAL_HOST, "master", 0, 0);
        this.name = "distarch.preRunCheck." + group;
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] args,
            Throwable t) {
        String message = MessageFormatter.basicArrayFormat(pattern, args);
        if (t != null) {
            StringWriter w = new StringWriter();
            t.printStackTrace(new PrintWriter(w));
            message = message + "\n" + w.toString().stripTrailing();
        }
        LogLevel ours = switch (level) {
            case TRACE -> LogLevel.TRACE;
            case DEBUG -> LogLevel.DEBUG;
            case INFO -> LogLevel.INFO;
            case WARN -> LogLevel.WARN;
            case ERROR -> LogLevel.ERROR;
        };
        sink.write(new LogRecord(clock.millis(), ours, source, message, null));
    }

    @Override
    public boolean isTraceEnabled() {
        return true;
    }

    @Override
    public boolean isDebugEnabled() {
        return true;
    }

    @Override
    public boolean isInfoEnabled() {
        return true;
    }

    @Override
    public boolean isWarnEnabled() {
        return true;
    }

    @Override
    public boolean isErrorEnabled() {
        return true;
    }
}
