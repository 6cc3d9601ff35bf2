package org.distarch.queue.feeder;

/**
 * Where the feeder takes items from and reports their outcomes to; called on the feeder's thread only. The
 * application's {@code org.distarch.queue.Feeder} is adapted to this by {@code QueueCommand}, so that this
 * package does not depend on the API package that drives it.
 *
 * @param <T> the item type
 */
public interface ItemSource<T> {

    /** True when there is nothing to hand out now. */
    boolean empty();

    /** The next item; null means "nothing after all". */
    T next();

    void success(T item);

    void error(T item, String error);

    /** The item's id in logs, events and frames; null or empty lets the feeder number items. */
    default String idOf(T item) {
        return null;
    }
}
