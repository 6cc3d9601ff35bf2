package org.distarch.supervise;

import java.time.Duration;
import org.distarch.launch.LaunchedWorker;
import org.distarch.output.LogRecord;
import org.distarch.output.LogSink;
import org.distarch.output.LogSource;
import org.distarch.worker.protocol.LogLevel;

/**
 * The one way a process is stopped, whatever the reason (operator, silence timeout, restart, reload,
 * {@code --max-running-time}, shutdown; local or remote): ask ({@code stop} on stdin and the group's
 * {@code stop_signal}, SIGTERM by default, to its group), wait the grace, kill the tree (SIGKILL). A zero grace
 * kills at once. The stop signal travels in the process's launch spec rather than with each request, so that a
 * relay that lost its master stops the process the same way. Confined to the supervision thread; the launcher
 * sends the signals on its own threads, so nothing here waits.
 */
final class StopSequence {

    private final Scheduler scheduler;
    private final LogSink log;
    private final LogSource source;
    private LaunchedWorker target;
    private long killAtMillis = Long.MAX_VALUE;
    private Scheduler.Cancellable killTimer = Scheduler.Cancellable.NONE;

    StopSequence(Scheduler scheduler, LogSink log, LogSource source) {
        this.scheduler = scheduler;
        this.log = log;
        this.source = source;
    }

    /**
     * Asks {@code worker} to stop and kills it if it is still there after {@code grace}, logging
     * {@code killMessage} (if not null) then. Asked again while a stop runs, only a shorter deadline changes anything.
     */
    void begin(LaunchedWorker worker, Duration grace, String killMessage) {
        long killAt = scheduler.clock().millis() + Math.max(0, grace.toMillis());
        if (worker == target && killAt >= killAtMillis) {
            return;
        }
        boolean asked = worker == target;
        target = worker;
        killAtMillis = killAt;
        killTimer.cancel();
        if (grace.isZero() || grace.isNegative()) {
            kill(worker, killMessage);
            return;
        }
        if (!asked) {
            worker.askStop();
        }
        killTimer = scheduler.schedule(grace, () -> {
            if (target == worker) {
                kill(worker, killMessage);
            }
        });
    }

    /** The process is gone: nothing more to do for it. */
    void finished() {
        killTimer.cancel();
        target = null;
        killAtMillis = Long.MAX_VALUE;
    }

    private void kill(LaunchedWorker worker, String message) {
        if (message != null) {
            log.offer(new LogRecord(scheduler.clock().millis(), LogLevel.WARN, source, message, null));
        }
        worker.kill();
    }
}
