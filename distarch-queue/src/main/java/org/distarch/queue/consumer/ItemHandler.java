package org.distarch.queue.consumer;

import com.fasterxml.jackson.databind.JsonNode;

/** Handles one item's payload; returning means success, throwing means failure with the exception's message. */
@FunctionalInterface
public interface ItemHandler {
    void handle(String itemId, int attempt, JsonNode payload) throws Exception;
}
