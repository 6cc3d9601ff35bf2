package org.distarch.admin.mount;

import java.io.IOException;

/**
 * The master's admin page and HTTP API served by another server (a Spring Boot application's servlet container)
 * under a path of that server ({@code /distarch/...}): the host hands each request over as an {@link HttpCall}
 * and the master's own admin server, running in process without a socket, answers it. Every route, the auth
 * (users, tokens, the session cookie), the CSRF and Origin checks and the limits are that server's: a mount
 * only carries the bytes, so the API is the same wherever it is served.
 *
 * <p>A call holds the calling thread for the length of the exchange: a live stream ({@code /api/v1/events}, a
 * log stream) holds one of the host's request threads while it is open (at most 256 event streams are served at once).
 * A client that went away is noticed at the next write (the keep-alive comment comes every 15 s at the latest).
 */
public interface AdminMount {

    /**
     * Serves one request; returns when the answer has been written (for a stream: when either side ended it).
     *
     * @throws IOException when the client went away
     */
    void serve(HttpCall call) throws IOException;
}
