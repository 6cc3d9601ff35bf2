package org.distarch.admin.client;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import javax.net.ssl.SSLException;

/**
 * The command line's side of {@code --url}: one request to a master's API with a bearer token, one answer.
 * Every failure to get an answer is an {@link IOException} whose message is the one line the user reads.
 */
public final class AdminClient {

    /** What the master answered: the HTTP status and the body (JSON). */
    public record Answer(int status, String body) {}

    private final URI base;
    private final String token;
    private final Duration timeout;
    private final HttpClient http;

    /**
     * @param url   the master's URL, e.g. {@code https://master.example:8642/}
     * @param token the bearer token, or null
     */
    public AdminClient(String url, String token, Duration timeout) {
        URI uri = URI.create(url.endsWith("/") ? url : url + "/");
        if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                || uri.getHost() == null) {
            throw new IllegalArgumentException("--url must be an http:// or https:// URL such as "
                    + "https://master.example:8642/ (got \"" + url + "\")");
        }
        this.base = uri;
        this.token = token;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public Answer get(String path) throws IOException {
        return send(HttpRequest.newBuilder(resolve(path)).GET());
    }

    public Answer post(String path, String json) throws IOException {
        return send(HttpRequest.newBuilder(resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /**
     * A GET whose body is read line by line as it comes (a server-sent event stream): each line goes to
     * {@code line} until the master ends the stream; an answer other than 200 is returned whole instead. Only
     * the answer's start is bound by the timeout, not the stream.
     */
    public Answer stream(String path, java.util.function.Consumer<String> line) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(resolve(path)).GET();
        HttpResponse<java.util.stream.Stream<String>> response = exchange(request,
                HttpResponse.BodyHandlers.ofLines());
        try (java.util.stream.Stream<String> lines = response.body()) {
            if (response.statusCode() != 200) {
                return new Answer(response.statusCode(), String.join("\n", lines.toList()));
            }
            lines.forEach(line);
            return new Answer(200, "");
        } catch (java.io.UncheckedIOException e) {
            throw new IOException("the connection to the master at " + base + " broke: " + e.getCause().getMessage(),
                    e.getCause());
        }
    }

    private URI resolve(String path) {
        return base.resolve(path.startsWith("/") ? path.substring(1) : path);
    }

    private Answer send(HttpRequest.Builder request) throws IOException {
        HttpResponse<String> response = exchange(request, HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body());
    }

    private <T> HttpResponse<T> exchange(HttpRequest.Builder request, HttpResponse.BodyHandler<T> body)
            throws IOException {
        request.timeout(timeout);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            return http.send(request.build(), body);
        } catch (HttpConnectTimeoutException e) {
            throw new IOException("no connection to " + base + " within " + timeout.toSeconds() + " s", e);
        } catch (HttpTimeoutException e) {
            throw new IOException("no answer from the master at " + base + " within " + timeout.toSeconds()
                    + " s (it may be busy or stuck); an action sent may still take effect", e);
        } catch (ConnectException e) {
            throw new IOException("no master answers at " + base + " (connection refused)", e);
        } catch (SSLException e) {
            throw new IOException("TLS with " + base + " failed: " + e.getMessage() + " (a self-signed certificate "
                    + "must be in the JVM's trust store: -Djavax.net.ssl.trustStore=...)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
