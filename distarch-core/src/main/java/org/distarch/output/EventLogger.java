package org.distarch.output;

import java.time.Duration;
import org.distarch.event.DistarchListener;
import org.distarch.event.MasterEvent;
import org.distarch.event.ProcessEvent;
import org.distarch.event.ProcessIdentity;
import org.distarch.worker.protocol.LogLevel;

/**
 * Turns lifecycle events into the master's log lines: the log is one more subscriber of the bus. Remote
 * processes are supervised by the master like local ones, so their events are logged here too, with their
 * host in the prefix; a relay's own lines come through its session. A process's {@code Started (pid N)} line is
 * written by its supervisor instead, before the process's first line is let through: a line written here,
 * after the bus, could come after the worker's first output.
 */
public final class EventLogger implements DistarchListener {

    /** Minutes of a stalled log's worth of state changes, for a fleet that crash-loops; about 2 MB at worst. */
    public static final int QUEUE_CAPACITY = 65_536;

    private final LogSink sink;

    public EventLogger(LogSink sink) {
        this.sink = sink;
    }

    /** Whether this logger writes a line for {@code event} (the bus queues only those for it). */
    public static boolean logs(org.distarch.event.DistarchEvent event) {
        return event instanceof MasterEvent.Starting || event instanceof MasterEvent.Started
                || event instanceof MasterEvent.Stopped
                || event instanceof ProcessEvent.Stopping || event instanceof ProcessEvent.TimedOut
                || event instanceof ProcessEvent.Stopped;
    }

    @Override
    public void onMasterStarting(MasterEvent.Starting e) {
        master(e.time().toEpochMilli(), LogLevel.INFO, e.host(), e.remote(), "Starting");
    }

    @Override
    public void onMasterStarted(MasterEvent.Started e) {
        master(e.time().toEpochMilli(), LogLevel.INFO, e.host(), e.remote(),
                "Started " + e.processCount() + " process" + (e.processCount() == 1 ? "" : "es"));
    }

    @Override
    public void onMasterStopped(MasterEvent.Stopped e) {
        master(e.time().toEpochMilli(), e.exitCode() == 0 ? LogLevel.INFO : LogLevel.ERROR, e.host(), e.remote(),
                "Stopped: " + e.reason() + " (exit code " + e.exitCode() + ")");
    }

    @Override
    public void onProcessStopping(ProcessEvent.Stopping e) {
        process(e.time().toEpochMilli(), LogLevel.INFO, e.process(), "Stopping... (" + e.reason() + ")");
    }

    @Override
    public void onProcessTimedOut(ProcessEvent.TimedOut e) {
        process(e.time().toEpochMilli(), LogLevel.WARN, e.process(), "Timeout reached while waiting for data... (silent for "
                + e.silence().toSeconds() + "s)");
    }

    @Override
    public void onProcessStopped(ProcessEvent.Stopped e) {
        long t = e.time().toEpochMilli();
        switch (e.outcome()) {
            case ENDED -> process(t, LogLevel.INFO, e.process(), e.reason().startsWith("Ended") ? e.reason() : "Ended");
            case STOPPED -> process(t, LogLevel.INFO, e.process(), e.reason());
            case RESTARTING -> process(t, LogLevel.WARN, e.process(), "Restarting in " + seconds(e.restartIn()) + ": "
                    + e.reason());
            case FAILED -> process(t, LogLevel.ERROR, e.process(), "Given up: " + e.reason());
        }
    }

    private void master(long t, LogLevel level, String host, boolean remote, String message) {
        if (remote) {
            return; // a remote host's relay logs its own lines, with its group: [group] [host] [master]
        }
        sink.write(new LogRecord(t, level, remote ? new LogSource("", host, "master", 0, 0) : null, message, null));
    }

    private void process(long t, LogLevel level, ProcessIdentity p, String message) {
        sink.write(new LogRecord(t, level, new LogSource(p.group(), p.host(), p.display(), p.id(), p.groupId()),
                message, null));
    }

    private static String seconds(Duration d) {
        return String.format("%.1fs", d.toMillis() / 1000.0);
    }
}
