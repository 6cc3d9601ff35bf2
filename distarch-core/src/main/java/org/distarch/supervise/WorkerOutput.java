package org.distarch.supervise;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.distarch.event.DistarchEvent;
import org.distarch.event.ProcessEvent;
import org.distarch.event.ProcessIdentity;
import org.distarch.event.QueueEvent;
import org.distarch.config.LogsConfig;
import org.distarch.launch.LineHandler;
import org.distarch.launch.WorkerStream;
import org.distarch.logs.LogLine;
import org.distarch.logs.ProcessLog;
import org.distarch.output.LogRecord;
import org.distarch.output.LogSink;
import org.distarch.output.LogSource;
import org.distarch.worker.protocol.LogLevel;
import org.distarch.worker.protocol.WorkerLine;
import org.distarch.worker.protocol.WorkerLineCodec;

/**
 * What one instance's lines mean, local or remote alike: a line of output or a log line at its level, a
 * ping, a queue event, the feeder's listening signal. Only stdout carries worker-protocol lines; a stderr
 * line is always plain text. Plain lines get their group's level for their stream ({@code logs.stdout_level},
 * {@code logs.stderr_level}); every output and log line also goes to the process's {@link ProcessLog}
 * (the buffer behind {@code distarch logs}, its file); the lines of one read go to both together. Runs on the
 * launcher's reading thread, which the log's back-pressure may slow (that is how a flooding worker is slowed
 * down); it shares with the supervision thread only the volatile liveness fields. The listening signal goes to
 * the fleet through the scheduler.
 */
final class WorkerOutput implements LineHandler {

    private static final String STDOUT = WorkerStream.STDOUT.wireName();
    private static final String STDERR = WorkerStream.STDERR.wireName();
    private static final long START_WAIT_SECONDS = 5;

    private final ProcessIdentity identity;
    private final LogSource source;
    private final Scheduler scheduler;
    private final LogSink log;
    private final Consumer<DistarchEvent> events;
    private final InstanceSupervisor.Hooks hooks;
    private final ProcessLog feed;
    private final LogLevel stdoutLevel;
    private final LogLevel stderrLevel;
    private volatile long lastOutput;
    private volatile long lastRunningEvent;
    private volatile String lastLine = "";

    WorkerOutput(ProcessIdentity identity, LogSource source, Scheduler scheduler, LogSink log,
            Consumer<DistarchEvent> events, InstanceSupervisor.Hooks hooks, ProcessLog feed, LogsConfig levels) {
        this.feed = feed;
        this.stdoutLevel = level(levels.stdoutLevel(), LogLevel.INFO);
        this.stderrLevel = level(levels.stderrLevel(), LogLevel.WARN);
        this.identity = identity;
        this.source = source;
        this.scheduler = scheduler;
        this.log = log;
        this.events = events;
        this.hooks = hooks;
    }

    long lastOutputMillis() {
        return lastOutput;
    }

    String lastLine() {
        return lastLine;
    }

    /**
     * Held by the reading thread until the supervisor has logged the process's {@code Started (pid N)} line, so
     * that its first line cannot come before it; bounded, so that a lost hand-over only delays output.
     */
    private volatile CountDownLatch startLogged = new CountDownLatch(0);

    /** What the worker said keeps it from working ({@code @@distarch cannot-start}), or null. */
    private volatile String cannotStart;

    /** A launch begins: lines that arrive wait for {@link #started}. */
    void expectStart() {
        cannotStart = null;
        startLogged = new CountDownLatch(1);
    }

    /** The reason the current process said it cannot start, or null. */
    String cannotStart() {
        return cannotStart;
    }

    /** The launch failed: nothing is held. */
    void startFailed() {
        startLogged.countDown();
    }

    /** A new process runs (and its start is logged): its silence counts from now, its lines may pass. */
    void started(long epochMillis) {
        lastOutput = epochMillis;
        startLogged.countDown();
    }

    /** The master's own line about this process, into its history only (the log has its own lines). */
    void marker(LogLevel level, String text) {
        feed.marker(level, scheduler.clock().millis(), text);
    }

    /** A line on its own (a relay's single-line frame). */
    @Override
    public void onLine(WorkerStream stream, String line) {
        onLines(stream, List.of(line));
    }

    /**
     * The lines of one read, from either reading thread (stdout's or stderr's), each waiting for the start to be
     * logged. They share one clock reading, and go to the log and the process's history in one hand-over each;
     * before a protocol line other than a queue item (a feeder's listening, its consumers, a start refused), what
     * came before it goes first, so that what that line causes comes after those lines, as when each line went
     * alone. A protocol line that fails costs that line only.
     */
    @Override
    public void onLines(WorkerStream stream, List<String> lines) {
        try {
            startLogged.await(START_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long now = scheduler.clock().millis();
        lastOutput = now;
        hooks.alive(now);
        int n = lines.size();
        if (n == 0) {
            return;
        }
        if (stream == WorkerStream.STDERR) {
            List<LogRecord> records = new ArrayList<>(n);
            for (String line : lines) {
                records.add(new LogRecord(now, stderrLevel, source, line, null, STDERR));
            }
            log.output(records);
            feed.lines(LogLine.Origin.STDERR, Collections.nCopies(n, stderrLevel), now, lines);
            running(lines.get(n - 1), now);
            return;
        }
        Batch batch = null;
        String last = null;
        for (String line : lines) {
            WorkerLine parsed = WorkerLineCodec.parse(line);
            if (parsed instanceof WorkerLine.Output out) {
                batch = batch == null ? new Batch(n) : batch;
                batch.add(new LogRecord(now, stdoutLevel, source, out.text(), null, STDOUT), out.text());
                last = out.text();
            } else if (parsed instanceof WorkerLine.Log l) {
                batch = batch == null ? new Batch(n) : batch;
                batch.add(new LogRecord(now, l.level(), source, l.message(), l.context(), STDOUT),
                        withContext(l.message(), l.context()));
                last = l.message();
            } else {
                if (batch != null && !(parsed instanceof WorkerLine.QueueItem)) {
                    batch.handOn(now); // item events wait for the end of the read anyway (EventBus.holding)
                }
                try {
                    protocolLine(parsed, now);
                } catch (RuntimeException e) {
                    // That line is lost (its event or hook failed), not the lines around it.
                }
            }
        }
        if (batch != null) {
            batch.handOn(now);
        }
        if (last != null) {
            running(last, now);
        }
    }

    /** Output and log lines of one read on stdout, waiting to be handed on together. */
    private final class Batch {
        private final List<LogRecord> records;
        private final List<LogLevel> levels;
        private final List<String> texts;

        Batch(int capacity) {
            records = new ArrayList<>(capacity);
            levels = new ArrayList<>(capacity);
            texts = new ArrayList<>(capacity);
        }

        void add(LogRecord record, String text) {
            records.add(record);
            levels.add(record.level());
            texts.add(text);
        }

        void handOn(long now) {
            if (records.isEmpty()) {
                return;
            }
            log.output(records);
            feed.lines(LogLine.Origin.STDOUT, levels, now, texts);
            // The lists are handed over only for the call (the sinks copy what they keep): cleared, reused.
            records.clear();
            levels.clear();
            texts.clear();
        }
    }

    /**
     * A line of the worker protocol that is not output: a queue event, a start refused, a feeder listening. Its
     * event is stamped with the read's clock reading, as the read's log lines are: an item event is never later
     * than a line printed after it.
     */
    private void protocolLine(WorkerLine parsed, long now) {
        Instant at = Instant.ofEpochMilli(now);
        if (parsed instanceof WorkerLine.QueueItem q) {
            events.accept(switch (q.state()) {
                case RECEIVED -> new QueueEvent.ItemReceived(at, identity, q.itemId(), q.attempt(), q.item(),
                        q.itemTruncated());
                case HANDLED -> new QueueEvent.ItemHandled(at, identity, q.itemId(), q.attempt(), (int) q.consumer(),
                        q.item(), q.itemTruncated());
                case FAILED -> new QueueEvent.ItemFailed(at, identity, q.itemId(), q.attempt(), q.error(),
                        (int) q.consumer(), q.item(), q.itemTruncated());
            });
        } else if (parsed instanceof WorkerLine.Consumers c) {
            events.accept(new QueueEvent.ConsumersConnected(at, identity, c.connected()));
        } else if (parsed instanceof WorkerLine.CannotStart c) {
            cannotStart = c.reason(); // the supervisor gives the process up with it when it exits
        } else if (parsed instanceof WorkerLine.Listening l) {
            // Observers hear of it before the consumers it lets through start, in that order.
            events.accept(new QueueEvent.FeederListening(at, identity, l.address()));
            scheduler.execute(() -> hooks.feederListening(identity, l.address()));
        }
        // Ping and Ended only prove the worker alive; the exit that follows Ended is logged as "Ended".
    }

    private static String withContext(String message, java.util.Map<String, String> context) {
        if (context == null || context.isEmpty()) {
            return message;
        }
        StringBuilder s = new StringBuilder(message);
        context.forEach((k, v) -> s.append(' ').append(k).append('=').append(v));
        return s.toString();
    }

    private static LogLevel level(String name, LogLevel otherwise) {
        return LogLevel.parse(name).orElse(otherwise);
    }

    private void running(String text, long now) {
        lastLine = text;
        if (now - lastRunningEvent >= 1000) {
            lastRunningEvent = now;
            events.accept(new ProcessEvent.Running(Instant.ofEpochMilli(now), identity, text));
        }
    }
}
