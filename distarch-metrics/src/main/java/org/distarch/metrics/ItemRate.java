package org.distarch.metrics;

/**
 * Items finished per second over the last {@link #WINDOW_SECONDS} seconds, in one-second buckets: constant
 * memory and an O(1) count per item, whatever the rate. A group younger than the window is measured over the
 * seconds it has seen, so its first figures are not diluted by seconds before it began.
 */
final class ItemRate {

    static final int WINDOW_SECONDS = 30;

    private final long[] seconds = new long[WINDOW_SECONDS];
    private final long[] counts = new long[WINDOW_SECONDS];
    private long firstSecond = -1;

    synchronized void add(long epochMillis) {
        long second = Math.floorDiv(epochMillis, 1000);
        if (firstSecond < 0) {
            firstSecond = second;
        }
        int slot = (int) Math.floorMod(second, (long) WINDOW_SECONDS);
        if (seconds[slot] != second) {
            seconds[slot] = second;
            counts[slot] = 0;
        }
        counts[slot]++;
    }

    /** Items per second in the window that ends at {@code nowMillis}. */
    synchronized double perSecond(long nowMillis) {
        if (firstSecond < 0) {
            return 0;
        }
        long now = Math.floorDiv(nowMillis, 1000);
        long sum = 0;
        for (int i = 0; i < WINDOW_SECONDS; i++) {
            if (seconds[i] > now - WINDOW_SECONDS && seconds[i] <= now) {
                sum += counts[i];
            }
        }
        long span = Math.max(1, Math.min(WINDOW_SECONDS, now - firstSecond + 1));
        return (double) sum / span;
    }
}
