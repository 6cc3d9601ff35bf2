package org.distarch.spring.boot;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.distarch.admin.mount.AdminMount;
import org.distarch.admin.mount.HttpCall;

/**
 * The admin page and API under {@code distarch.admin.mount-path} of the application's servlet container: every
 * request below it is handed to the master's own admin server, in process ({@link AdminMount}), which decides
 * it exactly as on its own port (routes, users and tokens, session cookie, CSRF token, Origin check, limits). The
 * container's view of the client (its address, HTTPS, as its forwarded-headers settings make them) is what the
 * admin server sees. Answers 503 while no master runs in this application.
 */
final class DistarchAdminServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient Supplier<Optional<AdminMount>> mount;

    DistarchAdminServlet(Supplier<Optional<AdminMount>> mount) {
        this.mount = mount;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<AdminMount> admin = mount.get();
        if (admin.isEmpty()) {
            response.setStatus(503);
            response.setContentType("application/json;charset=utf-8");
            response.setHeader("Cache-Control", "no-store");
            response.getOutputStream().write(("{\"error\":\"no distarch master runs in this application now (it "
                    + "starts once the application has, with distarch.master.enabled=true)\"}")
                    .getBytes(StandardCharsets.UTF_8));
            return;
        }
        try {
            admin.get().serve(new ServletCall(request, response));
        } catch (IOException e) {
            // The client went away (or the master stopped) in the middle of the answer: nobody is left to tell.
        }
    }

    /** A servlet request and its response as the admin server's mount sees them. */
    private record ServletCall(HttpServletRequest request, HttpServletResponse response) implements HttpCall {
        @Override
        public String method() {
            return request.getMethod();
        }

        @Override
        public String target() {
            String query = request.getQueryString();
            return request.getRequestURI() + (query == null ? "" : "?" + query);
        }

        @Override
        public List<Map.Entry<String, String>> headers() {
            List<Map.Entry<String, String>> headers = new ArrayList<>();
            for (String name : Collections.list(request.getHeaderNames())) {
                for (String value : Collections.list(request.getHeaders(name))) {
                    headers.add(Map.entry(name, value));
                }
            }
            return headers;
        }

        @Override
        public InputStream body() throws IOException {
            return request.getInputStream();
        }

        @Override
        public String remoteAddress() {
            return request.getRemoteAddr();
        }

        @Override
        public boolean secure() {
            return request.isSecure();
        }

        @Override
        public void status(int status) {
            response.setStatus(status);
        }

        @Override
        public void header(String name, String value) {
            response.addHeader(name, value);
        }

        @Override
        public OutputStream output() throws IOException {
            OutputStream out = response.getOutputStream();
            return new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    out.write(b);
                }

                @Override
                public void write(byte[] bytes, int offset, int length) throws IOException {
                    out.write(bytes, offset, length);
                }

                @Override
                public void flush() throws IOException {
                    response.flushBuffer(); // a stream's event goes to the client now
                }
            };
        }
    }
}
