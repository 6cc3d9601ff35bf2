package org.distarch.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A real HTTP client (the JDK's) for the tests, with the headers a test sets by hand: token, cookie, CSRF, Origin. */
final class Http {

    static final ObjectMapper JSON = new ObjectMapper();

    /** One answer: status, headers, body, and the body as JSON when it is some. */
    record Answer(int status, HttpResponse<String> response) {
        String body() {
            return response.body();
        }

        JsonNode json() {
            try {
                return JSON.readTree(response.body());
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + response.body(), e);
            }
        }

        String error() {
            return json().path("error").asText();
        }

        List<String> header(String name) {
            return response.headers().allValues(name);
        }
    }

    private final HttpClient client;
    private final String base;
    private final List<String> headers = new ArrayList<>();

    Http(String base) {
        this(base, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build());
    }

    Http(String base, HttpClient client) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.client = client;
    }

    Http with(String name, String value) {
        Http copy = new Http(base, client);
        copy.headers.addAll(headers);
        copy.headers.add(name);
        copy.headers.add(value);
        return copy;
    }

    Http token(String token) {
        return with("Authorization", "Bearer " + token);
    }

    Answer get(String path) throws Exception {
        return send(request(path).GET());
    }

    Answer post(String path, String body) throws Exception {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        for (int i = 0; i < headers.size(); i += 2) {
            b.header(headers.get(i), headers.get(i + 1));
        }
        return b;
    }

    Answer send(HttpRequest.Builder request) throws Exception {
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response);
    }

    HttpClient client() {
        return client;
    }
}
