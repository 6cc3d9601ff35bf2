package org.distarch.supervise;

/**
 * How well the supervision thread kept up over a period: the longest time one task ran on it (wall clock), what
 * kind of task that was (its class; a lambda is named by the class that wrote it) and how much of that time it
 * had a core ({@code longestTaskCpuMillis}: the rest it waited for one), and the worst lateness of a timer (how
 * long after its due time a scheduled task started). A long task stalls everything behind it; lateness shows
 * that, and also a queue of many short tasks.
 */
public record SupervisionStats(long longestTaskMillis, String longestTask, long longestTaskCpuMillis,
        long worstTimerLatenessMillis) {

    public static final SupervisionStats NONE = new SupervisionStats(0, "none", 0, 0);

    /** {@code longest task 12 ms (FleetRunner, 9 ms CPU), worst timer lateness 30 ms}. */
    public String describe() {
        return "longest task " + longestTaskMillis + " ms (" + longestTask + ", " + longestTaskCpuMillis
                + " ms CPU), worst timer lateness " + worstTimerLatenessMillis + " ms";
    }
}
