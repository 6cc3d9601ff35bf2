package org.distarch.restart;

/**
 * The separate budgets of one instance: failures (crashes and failed launches) since it was last healthy,
 * consecutive silence timeouts, and consecutive losses of its host (which only lengthen the backoff).
 */
public record FailureHistory(int failures, int timeouts, int losses) {

    public static final FailureHistory NONE = new FailureHistory(0, 0, 0);

    public FailureHistory(int failures, int timeouts) {
        this(failures, timeouts, 0);
    }
}
