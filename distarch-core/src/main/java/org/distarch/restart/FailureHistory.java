package org.distarch.restart;

/**
 * The two separate budgets of one instance: failures (crashes and failed launches) since it was last
 * healthy, and consecutive silence timeouts.
 */
public record FailureHistory(int failures, int timeouts) {

    public static final FailureHistory NONE = new FailureHistory(0, 0);
}
