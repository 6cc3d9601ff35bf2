package org.distarch.remote.ssh;

import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;
import org.distarch.event.DistarchEvent;
import org.distarch.event.ExitStatus;
import org.distarch.event.MasterEvent;
import org.distarch.event.bus.EventBus;
import org.distarch.launch.LaunchException;
import org.distarch.launch.LineHandler;
import org.distarch.output.LogRecord;
import org.distarch.output.LogSink;
import org.distarch.output.LogSource;
import org.distarch.remote.protocol.RelayFrame;
import org.distarch.worker.protocol.LogLevel;

/**
 * Hands each frame the relay sends to what it concerns: a process's lines, start, exit, failure and usage to
 * its {@link RemoteWorker}, the relay's own log lines to the master's log, {@code ready} and {@code ping} to
 * the {@link RelaySession}. It is apart from the session so that the session keeps the lifecycle (open,
 * ready, ended, closed) and this class the meaning of what the relay says.
 *
 * <p>It runs on the session's reader thread and holds no lock: it looks a worker up through the session
 * (under the session's monitor) and calls the worker outside it, so a slow log slows only that stream.
 */
final class RelayFrameDispatch {

    private final RelaySession session;
    private final String host;
    private final LogSink log;
    private final LogSource relaySource;
    private final Consumer<DistarchEvent> events;
    private final Clock clock;

    RelayFrameDispatch(RelaySession session, String host, LogSink log, LogSource relaySource,
            Consumer<DistarchEvent> events, Clock clock) {
        this.session = session;
        this.host = host;
        this.log = log;
        this.relaySource = relaySource;
        this.events = events;
        this.clock = clock;
    }

    void frame(RelayFrame frame) {
        if (frame instanceof RelayFrame.Line l) {
            RemoteWorker w = session.worker(l.handle());
            if (w != null) {
                w.output.onLine(l.stream(), l.text()); // outside the lock: a slow log must slow only this stream
            }
        } else if (frame instanceof RelayFrame.Lines l) {
            RemoteWorker w = session.worker(l.handle());
            if (w != null) {
                // A busy stream's lines come several to a frame: they go on together (one hand-over to each log), and
                // their queue item events reach each listener together.
                EventBus.holding(() -> {
                    List<String> texts = l.texts();
                    for (int i = 0; i < texts.size(); i += LineHandler.BATCH_LINES) {
                        int end = Math.min(texts.size(), i + LineHandler.BATCH_LINES);
                        w.output.onLines(l.stream(), texts.subList(i, end));
                    }
                });
            }
        } else if (frame instanceof RelayFrame.Started s) {
            RemoteWorker w = session.worker(s.handle());
            if (w != null) {
                w.started(s.pid());
            }
        } else if (frame instanceof RelayFrame.Exited e) {
            RemoteWorker w = session.remove(e.handle());
            if (w != null) {
                w.exited(new ExitStatus(e.code(), e.signal()));
            }
        } else if (frame instanceof RelayFrame.Failed f) {
            RemoteWorker w = session.remove(f.handle());
            if (w != null) {
                w.failed(new LaunchException("on " + host + ": " + f.message(), null));
            }
        } else if (frame instanceof RelayFrame.UsageReport u) {
            for (RelayFrame.Sample s : u.samples()) {
                RemoteWorker w = session.worker(s.handle());
                if (w != null) {
                    w.usage(s.cpuMillis(), s.rssBytes());
                }
            }
        } else if (frame instanceof RelayFrame.Log l) {
            LogLevel level = LogLevel.parse(l.level()).orElse(LogLevel.INFO);
            log.write(new LogRecord(l.epochMillis(), level, relaySource, l.message(), null));
        } else if (frame instanceof RelayFrame.Ready) {
            session.ready();
        } else if (frame instanceof RelayFrame.Ping) {
            events.accept(new MasterEvent.Running(clock.instant(), host, true, session.running()));
        }
        // Done: the relay's processes are all gone; the session ends next.
    }
}
