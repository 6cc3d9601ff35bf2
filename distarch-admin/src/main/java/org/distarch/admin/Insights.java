package org.distarch.admin;

import java.util.function.LongSupplier;
import org.distarch.history.HistoryOptions;
import org.distarch.metrics.FleetMetrics;

/**
 * What the API reads beside the control plane: the master's history (its store's options, and the id of the
 * run the master writes now, 0 while unknown) and its metrics. Either may be null: the endpoints then say so
 * (503) instead of answering.
 */
public record Insights(HistoryOptions history, LongSupplier currentRun, FleetMetrics metrics) {

    /** Neither history nor metrics. */
    public static final Insights NONE = new Insights(null, () -> 0, null);

    public Insights {
        currentRun = currentRun == null ? () -> 0 : currentRun;
    }
}
