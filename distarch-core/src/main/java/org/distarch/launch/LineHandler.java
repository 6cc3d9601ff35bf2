package org.distarch.launch;

/**
 * Receives a worker's output, one decoded line at a time, on the launcher's reading thread.
 * Must be quick: the next line is not read until it returns (that is the back-pressure).
 */
@FunctionalInterface
public interface LineHandler {
    void onLine(String line);
}
