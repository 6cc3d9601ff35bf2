package org.distarch.admin;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The headers of the page's files: a strict Content-Security-Policy (every script, style and image from this
 * server, no inline script or style, no framing, nowhere else to connect to or post to), no sniffing, no referrer
 * (a login link's token must not travel on), and no caching ({@code no-store}: the files are small and the
 * jar's entries may all carry one build time, so a browser could otherwise keep a page older than its API).
 */
final class PageHeaders extends Handler.Wrapper {

    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self'; connect-src 'self'; font-src 'self'; manifest-src 'self'; base-uri 'none'; "
            + "form-action 'self'; frame-ancestors 'none'";

    PageHeaders(Handler files) {
        super(files);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        response.getHeaders().put("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.getHeaders().put("X-Frame-Options", "DENY");
        response.getHeaders().put("Referrer-Policy", "no-referrer");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        return super.handle(request, response, callback);
    }
}
