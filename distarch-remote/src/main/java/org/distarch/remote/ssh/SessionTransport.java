package org.distarch.remote.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import org.distarch.launch.RemoteTarget;

/**
 * How a relay session is opened: {@code ssh} to the host in production ({@link SshTransport}), pipes to a relay
 * in the same JVM in tests. What the far side prints that is not a frame (ssh's own errors, a shell's
 * complaints) arrives on the same stream and is kept as the session's diagnostics.
 */
interface SessionTransport {

    /** Opens a session that runs a relay on {@code target}, in {@code directory} there. May fork: never call it on
     * the supervision thread. */
    Channel open(RemoteTarget target, Path directory) throws IOException;

    /** One open session. */
    interface Channel {
        InputStream in();

        OutputStream out();

        /** Waits for the session to end; its exit code (ssh exits 255 when the connection failed). */
        int waitFor() throws InterruptedException;

        /** Ends the session now. */
        void destroy();
    }
}
