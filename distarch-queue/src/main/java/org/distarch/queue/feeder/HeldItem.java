package org.distarch.queue.feeder;

/**
 * An item as the feeder holds it from the source to its outcome: the application's object and its JSON,
 * written once at its first hand-out and used again for a redelivery and for the outcome line, so that an item
 * is written to JSON once, and what the listeners are told is what the consumer was sent. Loop thread only.
 */
final class HeldItem<T> {

    final T item;
    /** UTF-8 JSON of the item, null until its first hand-out (or when it cannot be written). */
    byte[] json;

    HeldItem(T item) {
        this.item = item;
    }
}
