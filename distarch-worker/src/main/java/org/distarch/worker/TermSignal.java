package org.distarch.worker;

import org.slf4j.Logger;
import sun.misc.Signal;

/**
 * SIGTERM as a stop request, through {@code sun.misc.Signal} (module jdk.unsupported, no flags
 * needed on Java 17). Replacing the JVM's handler means SIGTERM no longer exits the JVM: the
 * worker finishes cleanly instead.
 */
final class TermSignal {

    private TermSignal() {}

    /** Installs {@code onTerm} as the SIGTERM handler; logs at debug level if that is impossible. */
    static void install(Runnable onTerm, Logger logger) {
        try {
            Signal.handle(new Signal("TERM"), signal -> onTerm.run());
        } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
            logger.debug("Cannot handle SIGTERM: {}", e.toString());
        }
    }
}
