package org.distarch.queue;

import org.distarch.worker.WorkerContext;

/**
 * What a consumer's handler knows about the item it handles (the seed's HandlerQueue).
 *
 * @param worker  the consumer process's context: logger, params, ping, stop
 * @param itemId  the item's id, stable across redeliveries
 * @param attempt 1 for the first hand-out, 2 for the first redelivery, ...
 */
public record ItemContext(WorkerContext worker, String itemId, int attempt) {}
