package org.distarch.history;

/**
 * How the history writer keeps up: entries {@code queued} now (of {@code capacity}), {@code written} and
 * {@code dropped} (the queue was full, or the database stayed down past the close) since it started, and
 * whether the database is {@code failing} now.
 */
public record HistoryWriterStats(int queued, int capacity, long written, long dropped, boolean failing) {}
