package org.distarch.worker.protocol;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;
import org.slf4j.event.Level;
import org.slf4j.event.LoggingEvent;
import org.slf4j.helpers.FormattingTuple;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.spi.LoggingEventAware;

/**
 * The SLF4J plumbing shared by distarch's loggers: every level enabled (the master filters), messages
 * formatted, a throwable's stack trace appended to the message, and the fluent API's key/value pairs
 * kept as context. Subclasses only say where a finished line goes. Needs no SLF4J provider.
 */
public abstract class LevelLogger extends LegacyAbstractLogger implements LoggingEventAware {

    private static final long serialVersionUID = 1L;

    protected LevelLogger(String name) {
        this.name = name;
    }

    /** Receives one finished log line. */
    protected abstract void emit(LogLevel level, String message, Map<String, String> context);

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
        finish(level, MessageFormatter.basicArrayFormat(messagePattern, arguments), throwable, Map.of());
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
        finish(event.getLevel(), tuple.getMessage(), throwable, context);
    }

    private void finish(Level level, String message, Throwable throwable, Map<String, String> context) {
        String text = String.valueOf(message);
        if (throwable != null) {
            text = text + "\n" + stackTrace(throwable);
        }
        emit(toLogLevel(level), text, context);
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

    /** The stack trace as text, without its last newline. */
    public static String stackTrace(Throwable throwable) {
        StringWriter writer = new StringWriter();
        throwable.printStackTrace(new PrintWriter(writer));
        String trace = writer.toString();
        return trace.endsWith("\n") ? trace.substring(0, trace.length() - 1) : trace;
    }
}
