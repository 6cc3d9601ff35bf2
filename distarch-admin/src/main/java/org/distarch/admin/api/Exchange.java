package org.distarch.admin.api;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.distarch.admin.auth.Caller;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * One request on its way through an endpoint: the Jetty request, response and callback, the caller (null on
 * routes without auth), the path's parameters ({@code {id}}), the query and the client's address.
 */
record Exchange(Request request, Response response, Callback callback, Caller caller, Map<String, String> path,
        Map<String, List<String>> query, String address, boolean secure) {

    /** The largest request body accepted; a larger one is a 413 before anything is parsed. */
    static final int MAX_BODY = 64 * 1024;

    /**
     * How much of a body over {@link #MAX_BODY} is read and thrown away before the 413, so that the client has
     * sent it all and reads the answer; beyond it the connection is closed under the client's upload.
     */
    static final int MAX_DRAINED = 1024 * 1024;

    /** The body as text, at most {@link #MAX_BODY} bytes. */
    String body() throws IOException {
        long length = request.getLength();
        try (InputStream in = Content.Source.asInputStream(request)) {
            if (length > MAX_BODY) {
                drain(in, length);
                throw new ApiException(413, "the body is " + length + " bytes; at most " + MAX_BODY + " are accepted");
            }
            byte[] bytes = in.readNBytes(MAX_BODY + 1);
            if (bytes.length > MAX_BODY) {
                drain(in, -1);
                throw new ApiException(413, "the body is longer than " + MAX_BODY + " bytes; at most " + MAX_BODY
                        + " are accepted");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private static void drain(InputStream in, long length) throws IOException {
        if (length <= MAX_DRAINED) {
            long left = MAX_DRAINED;
            while (left > 0) {
                long skipped = in.skip(left);
                if (skipped <= 0 && in.read() < 0) {
                    return;
                }
                left -= Math.max(skipped, 1);
            }
        }
    }

    <T> T body(Class<T> type) throws IOException {
        return Json.read(body(), type);
    }
}
