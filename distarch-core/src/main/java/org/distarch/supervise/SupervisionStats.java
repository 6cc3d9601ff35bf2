package org.distarch.supervise;

/**
 * How well the supervision thread kept up over a period: the longest time one task ran on it (and what kind of
 * task that was: its class, lambdas named by the class that wrote them), and the worst lateness of a timer (how
 * long after its due time a scheduled task started). A long task stalls everything behind it; lateness shows it.
 */
public record SupervisionStats(long longestTaskMillis, String longestTask, long worstTimerLatenessMillis) {

    public static final SupervisionStats NONE = new SupervisionStats(0, "none", 0);

    /** {@code longest task 12 ms (FleetRunner), worst timer lateness 30 ms}. */
    public String describe() {
        return "longest task " + longestTaskMillis + " ms (" + longestTask + "), worst timer lateness "
                + worstTimerLatenessMillis + " ms";
    }
}
