package org.distarch.admin;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.distarch.admin.mount.AdminMount;
import org.distarch.admin.mount.HttpCall;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.LocalConnector;

/**
 * {@link AdminMount} over the admin server running in process ({@link AdminServer#inProcess}, no socket): each
 * request is handed to it as HTTP/1.1 through its {@link LocalConnector}, and its answer is parsed and copied back
 * as it comes. So one server decides every route, its auth, CSRF and Origin checks, its limits and its streams:
 * this class only carries bytes.
 *
 * <p>The calling thread is held for the length of the exchange: a live stream ({@code /api/v1/events}, a log
 * stream) holds one of the host server's request threads while it is open (the admin server caps them at
 * {@code EventStream.MAX_CLIENTS}). A client that goes away is noticed at the next write (the keep-alive comment
 * comes every 15 s at the latest), and the admin server's end of it is closed.
 */
final class LocalMount implements AdminMount {

    /** A body larger than this is not copied further; the admin server answers 413 from the part it got. */
    static final int MAX_COPIED_BODY = 2 * 1024 * 1024;

    /** How long one wait for the admin server's next bytes lasts before looking again. */
    private static final long WAIT_SECONDS = 30;

    /** Hop-by-hop headers, the body's framing, and what only the host may say about the client. */
    private static final Set<String> NOT_PASSED_ON = Set.of("connection", "keep-alive", "transfer-encoding", "te",
            "trailer", "upgrade", "proxy-connection", "proxy-authorization", "content-length", "expect", "forwarded",
            "x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "x-forwarded-port", "x-forwarded-server",
            "x-forwarded-prefix", "x-forwarded-ssl", "x-proxied-https", "x-real-ip");

    /** Framing of the admin server's answer: the host server frames it anew. */
    private static final Set<String> NOT_PASSED_BACK = Set.of("connection", "keep-alive", "transfer-encoding",
            "content-length");

    private final LocalConnector connector;

    LocalMount(LocalConnector connector) {
        this.connector = connector;
    }

    @Override
    public void serve(HttpCall call) throws IOException {
        if (!connector.isRunning()) {
            call.status(503);
            call.header("Content-Type", "application/json;charset=utf-8");
            call.output().write("{\"error\":\"the distarch master has stopped\"}".getBytes(StandardCharsets.UTF_8));
            return;
        }
        byte[] body = readBody(call.body());
        LocalConnector.LocalEndPoint endpoint = connector.connect();
        try {
            // One buffer: the endpoint signals new input only into an empty queue, and a body added after the head
            // could arrive while the request's reader waits without being told.
            byte[] head = head(call, body.length);
            ByteBuffer request = ByteBuffer.allocate(head.length + body.length).put(head).put(body).flip();
            endpoint.addInput(request);
            copyAnswer(endpoint, call);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while serving " + call.target(), e);
        } finally {
            endpoint.close();
        }
    }

    private static byte[] head(HttpCall call, int length) {
        StringBuilder head = new StringBuilder(512);
        head.append(call.method()).append(' ').append(call.target()).append(" HTTP/1.1\r\n");
        boolean host = false;
        for (Map.Entry<String, String> header : call.headers()) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (NOT_PASSED_ON.contains(name) || !token(header.getKey()) || !value(header.getValue())) {
                continue;
            }
            if (name.equals("host")) {
                if (host) {
                    continue;
                }
                host = true;
            }
            head.append(header.getKey()).append(": ").append(header.getValue()).append("\r\n");
        }
        if (!host) {
            head.append("Host: localhost\r\n");
        }
        String address = call.remoteAddress();
        head.append("X-Forwarded-For: ").append(address.indexOf(':') >= 0 && !address.startsWith("[")
                ? "[" + address + "]" : address).append("\r\n");
        head.append("X-Forwarded-Proto: ").append(call.secure() ? "https" : "http").append("\r\n");
        if (length > 0 || !call.method().equals("GET") && !call.method().equals("HEAD")) {
            head.append("Content-Length: ").append(length).append("\r\n");
        }
        head.append("Connection: close\r\n\r\n");
        return head.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The body, at most {@link #MAX_COPIED_BODY} + 1 bytes: enough for the admin server to refuse one too large. */
    private static byte[] readBody(InputStream in) throws IOException {
        if (in == null) {
            return new byte[0];
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        int total = 0;
        int n;
        while (total <= MAX_COPIED_BODY && (n = in.read(chunk, 0, Math.min(chunk.length, MAX_COPIED_BODY + 1 - total)))
                > 0) {
            out.write(chunk, 0, n);
            total += n;
        }
        return out.toByteArray();
    }

    private void copyAnswer(LocalConnector.LocalEndPoint endpoint, HttpCall call)
            throws IOException, InterruptedException {
        Answer answer = new Answer(call);
        HttpParser parser = new HttpParser(answer);
        parser.setHeadResponse(call.method().equals("HEAD"));
        while (!answer.complete) {
            ByteBuffer bytes = endpoint.waitForOutput(WAIT_SECONDS, TimeUnit.SECONDS);
            if (bytes == null) {
                if (!connector.isRunning()) {
                    throw new IOException("the admin server stopped while answering " + call.target());
                }
                continue; // a quiet stream: the keep-alive comment comes within 15 s
            }
            boolean ended = !bytes.hasRemaining() && endpoint.isOutputShutdown();
            try {
                while (bytes.hasRemaining() && !answer.complete) {
                    if (!parser.parseNext(bytes) && !bytes.hasRemaining()) {
                        break;
                    }
                }
                if (ended && !answer.complete) {
                    parser.atEOF();
                    parser.parseNext(ByteBuffer.allocate(0));
                }
            } catch (UncheckedIOException e) {
                throw e.getCause(); // the client went away
            }
            if (answer.out != null) {
                answer.out.flush();
            }
            if (ended) {
                break;
            }
        }
        if (!answer.started) {
            // The admin server closed without a status line (it was stopping): say so rather than send an empty 200.
            call.status(502);
            call.header("Content-Type", "application/json;charset=utf-8");
            call.output().write("{\"error\":\"the distarch admin server gave no answer\"}"
                    .getBytes(StandardCharsets.UTF_8));
            return;
        }
        if (answer.out == null) {
            answer.output();
        }
        answer.out.flush();
    }

    /** Copies the parsed answer to the call: status, headers, then the body as it comes. */
    private static final class Answer implements HttpParser.ResponseHandler {
        private final HttpCall call;
        private OutputStream out;
        private boolean started;
        private boolean complete;

        Answer(HttpCall call) {
            this.call = call;
        }

        @Override
        public void startResponse(HttpVersion version, int status, String reason) {
            started = true;
            call.status(status);
        }

        @Override
        public void parsedHeader(HttpField field) {
            if (!NOT_PASSED_BACK.contains(field.getLowerCaseName())) {
                call.header(field.getName(), field.getValue());
            }
        }

        @Override
        public boolean headerComplete() {
            output();
            return false;
        }

        @Override
        public boolean content(ByteBuffer content) {
            try {
                byte[] bytes = new byte[content.remaining()];
                content.get(bytes);
                out.write(bytes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return false;
        }

        @Override
        public boolean contentComplete() {
            return false;
        }

        @Override
        public boolean messageComplete() {
            complete = true;
            return true;
        }

        @Override
        public void earlyEOF() {
            complete = true;
        }

        void output() {
            if (out == null) {
                try {
                    out = call.output();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    /** An HTTP token (a header name): nothing that could end the line or the header. */
    private static boolean token(String name) {
        if (name == null || name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= ' ' || c >= 127 || c == ':') {
                return false;
            }
        }
        return true;
    }

    private static boolean value(String value) {
        return value != null && value.indexOf('\r') < 0 && value.indexOf('\n') < 0;
    }
}
