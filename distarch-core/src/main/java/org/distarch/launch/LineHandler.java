package org.distarch.launch;

import java.util.List;

/**
 * Receives a worker's output, as decoded lines with the stream they came from, on the launcher's reading
 * thread. Must be quick: the next lines of that stream are not read until it returns (that is the
 * back-pressure). stdout and stderr are read apart, so calls for the two streams may come from two threads.
 */
@FunctionalInterface
public interface LineHandler {

    /**
     * The most lines a caller of {@link #onLines} hands on at once (a 64 KiB read of short lines, or a relay's
     * frame, holds thousands): what waits in the logs' queues then stays small enough to die young, instead of
     * filling the old generation and making the collector run full collections during a flood.
     */
    int BATCH_LINES = 1024;

    void onLine(WorkerStream stream, String line);

    /**
     * The lines of one read of {@code stream}, in order, at most {@link #BATCH_LINES}; {@link #onLine} for each by
     * default. A handler that passes lines on to other threads overrides it to pass them on together. The list
     * is the caller's: it is only valid during the call and must not be kept.
     */
    default void onLines(WorkerStream stream, List<String> lines) {
        for (String line : lines) {
            onLine(stream, line);
        }
    }
}
