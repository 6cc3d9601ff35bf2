package org.distarch.worker;

import java.util.Objects;
import java.util.function.IntConsumer;

/**
 * How a {@link WorkerSession} integrates with its process.
 *
 * @param processWide install the SIGTERM handler, replace {@code System.out}/{@code System.err}
 *                    and register a shutdown hook that flushes pending output
 * @param halt        called with exit code 3 by the orphan watchdog (Runtime::halt in a process)
 */
record SessionOptions(boolean processWide, IntConsumer halt) {

    public SessionOptions {
        Objects.requireNonNull(halt, "halt");
    }

    public static SessionOptions process() {
        return new SessionOptions(true, code -> Runtime.getRuntime().halt(code));
    }

    public static SessionOptions inMemory(IntConsumer halt) {
        return new SessionOptions(false, halt);
    }
}
