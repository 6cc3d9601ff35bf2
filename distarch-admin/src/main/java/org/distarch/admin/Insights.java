package org.distarch.admin;

import java.util.function.LongSupplier;
import org.distarch.history.HistoryOptions;
import org.distarch.logs.ProcessLogs;
import org.distarch.metrics.FleetMetrics;

/**
 * What the API reads beside the control plane: the master's history (its store's options, and the id of the
 * run the master writes now, 0 while unknown), its metrics and its processes' output buffers; and how it
 * reopens its log files ({@code reopenLogs}, as {@code distarch logs --reopen} asks: it must return at once).
 * Any may be null: the endpoints then say so (503, or 409 for the reopen) instead of answering.
 */
public record Insights(HistoryOptions history, LongSupplier currentRun, FleetMetrics metrics, ProcessLogs logs,
        Runnable reopenLogs) {

    /** Neither history nor metrics nor logs. */
    public static final Insights NONE = new Insights(null, () -> 0, null, null, null);

    public Insights {
        currentRun = currentRun == null ? () -> 0 : currentRun;
    }

    /** History and metrics, no logs. */
    public Insights(HistoryOptions history, LongSupplier currentRun, FleetMetrics metrics) {
        this(history, currentRun, metrics, null, null);
    }

    /** The same, serving {@code store}'s lines ({@code Master.logs()}). */
    public Insights withLogs(ProcessLogs store) {
        return new Insights(history, currentRun, metrics, store, reopenLogs);
    }

    /** The same, reopening the log files with {@code reopen}. */
    public Insights withReopen(Runnable reopen) {
        return new Insights(history, currentRun, metrics, logs, reopen);
    }
}
