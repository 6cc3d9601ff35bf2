package org.distarch.worker.protocol;

import java.nio.file.Path;

/**
 * Where a queue feeder's UNIX socket lives: {@code /tmp/distarch-USER/queue-PORT.sock}. The directory belongs
 * to the user the feeder runs as and only that user may enter it (the feeder creates it with mode 0700 and
 * refuses one that others can enter); the port keeps two feeders of one machine apart.
 */
public final class QueueSocket {

    private QueueSocket() {}

    public static String path(String user, int port) {
        String safeUser = user == null || user.isBlank() ? "unknown" : user.replaceAll("[^A-Za-z0-9._-]", "_");
        return Path.of("/tmp", "distarch-" + safeUser, "queue-" + port + ".sock").toString();
    }
}
