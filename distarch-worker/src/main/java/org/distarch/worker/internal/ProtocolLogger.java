package org.distarch.worker.internal;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.distarch.worker.protocol.LogLevel;
import org.distarch.worker.protocol.WorkerLineCodec;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;
import org.slf4j.event.Level;
import org.slf4j.event.LoggingEvent;
import org.slf4j.helpers.FormattingTuple;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.spi.LoggingEventAware;

/**
 * An SLF4J logger whose lines reach the master with their level, through {@link WorkerLineCodec}.
 * Every level is enabled (the master filters). A throwable's stack trace is appended to the
 * message; key/value pairs of the fluent API ({@code logger.atWarn().addKeyValue(…)}) become the
 * line's context. Needs no SLF4J provider.
 */
public final class ProtocolLogger extends LegacyAbstractLogger implements LoggingEventAware {

    private static final long serialVersionUID = 1L;

    private final transient LineSyncOutput output;

    public ProtocolLogger(String name, LineSyncOutput output) {
        this.name = name;
        this.output = output;
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

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String messagePattern,
                                               Object[] arguments, Throwable throwable) {
        emit(level, MessageFormatter.basicArrayFormat(messagePattern, arguments), throwable, Map.of());
    }

    /** The fluent API's entry point: keeps key/value pairs as the context. */
    @Override
    public void log(LoggingEvent event) {
        FormattingTuple tuple = MessageFormatter.arrayFormat(
                event.getMessage(), event.getArgumentArray(), event.getThrowable());
        Throwable throwable = event.getThrowable() != null ? event.getThrowable() : tuple.getThrowable();
        Map<String, String> context = new LinkedHashMap<>();
        List<KeyValuePair> pairs = event.getKeyValuePairs();
        if (pairs != null) {
            for (KeyValuePair pair : pairs) {
                if (pair != null && pair.key != null) {
                    context.put(pair.key, String.valueOf(pair.value));
                }
            }
        }
        emit(event.getLevel(), tuple.getMessage(), throwable, context);
    }

    private void emit(Level level, String message, Throwable throwable, Map<String, String> context) {
        String text = String.valueOf(message);
        if (throwable != null) {
            text = text + "\n" + stackTrace(throwable);
        }
        output.writeLine(WorkerLineCodec.log(toLogLevel(level), text, context));
    }

    static LogLevel toLogLevel(Level level) {
        if (level == null) {
            return LogLevel.INFO;
        }
        switch (level) {
            case TRACE: return LogLevel.TRACE;
            case DEBUG: return LogLevel.DEBUG;
            case WARN: return LogLevel.WARN;
            case ERROR: return LogLevel.ERROR;
            default: return LogLevel.INFO;
        }
    }

    static String stackTrace(Throwable throwable) {
        StringWriter writer = new StringWriter();
        throwable.printStackTrace(new PrintWriter(writer));
        String trace = writer.toString();
        return trace.endsWith("\n") ? trace.substring(0, trace.length() - 1) : trace;
    }
}
