package org.distarch.admin.mount;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;

/**
 * One request as the host server received it, and the way back to its client: what {@link AdminMount} needs from
 * a servlet container (or any other server) to serve the admin page and API. The host's own view of the client
 * (its address, whether it came over HTTPS) is what counts; headers the client sent to claim otherwise are dropped.
 */
public interface HttpCall {

    /** {@code GET}, {@code POST}, ... */
    String method();

    /** The path and query as the client sent them, still encoded: {@code /distarch/api/v1/processes?state=RUNNING}. */
    String target();

    /** Every request header as received, in order, names as sent (a name may repeat). */
    List<Map.Entry<String, String>> headers();

    /** The request body (empty for a GET). */
    InputStream body() throws IOException;

    /** The client's address as the host server sees it. */
    String remoteAddress();

    /** Whether the client reached the host server over HTTPS. */
    boolean secure();

    /** The answer's status; called once, before any header. */
    void status(int status);

    /** One header of the answer (a name may repeat, {@code Set-Cookie} does). */
    void header(String name, String value);

    /** The answer's body, written as it comes and flushed after each part (a stream's events go out at once). */
    OutputStream output() throws IOException;
}
