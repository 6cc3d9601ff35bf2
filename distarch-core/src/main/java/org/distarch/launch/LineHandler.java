package org.distarch.launch;

/**
 * Receives a worker's output, one decoded line at a time with the stream it came from, on the launcher's
 * reading thread. Must be quick: the next line of that stream is not read until it returns (that is the
 * back-pressure). stdout and stderr are read apart, so calls for the two streams may come from two threads.
 */
@FunctionalInterface
public interface LineHandler {
    void onLine(WorkerStream stream, String line);
}
