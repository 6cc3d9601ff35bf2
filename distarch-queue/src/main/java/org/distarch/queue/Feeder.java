package org.distarch.queue;

/**
 * The application's source of work, run inside the feeder process (the seed's FeederInterface). All calls
 * come from the feeder's one thread, so an implementation needs no locking of its own.
 *
 * <p>Every item that {@link #next()} returns ends in exactly one call: {@link #success} or {@link #error}.
 * Never both, never neither, whatever happens to the consumers (crash, kill, timeout, lost connection) or to
 * the feeder's stop (items still due are waited for, then failed).
 *
 * @param <T> the item type: any value Jackson can write as JSON
 */
public interface Feeder<T> {

    /**
     * True when there is nothing to hand out now. The feeder asks again after the group's
     * {@code empty_interval}, or at once after {@link FeederControl#itemsAvailable()}.
     */
    boolean empty();

    /** The next item; called only after {@link #empty()} said false. Null means "nothing after all". */
    T next();

    /** A consumer handled the item. */
    void success(T item);

    /**
     * The item failed: the consumer's handler threw (its message), or the item was lost after its last
     * attempt, could not be sent (too large, not serialisable) or was still due when the feeder stopped.
     */
    void error(T item, String error);

    /**
     * The item's id in logs, events and frames; null lets the feeder number items ({@code 1}, {@code 2}, ...).
     * Give stable ids when consumers must be idempotent under redelivery.
     */
    default String idOf(T item) {
        return null;
    }
}
