package org.distarch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.distarch.admin.client.AdminClient;
import org.distarch.history.HistoryEntry;
import org.distarch.history.HistoryException;
import org.distarch.history.HistoryJson;
import org.distarch.history.HistoryKind;
import org.distarch.history.HistoryPage;
import org.distarch.history.HistoryQuery;
import org.distarch.history.HistoryStore;
import org.distarch.history.ProcessSummary;
import org.distarch.history.RunRecord;

/**
 * Where {@code distarch history} reads: the history database itself, or a master's HTTP API ({@code --url},
 * the token from {@code DISTARCH_TOKEN}), which answers the same records. A failure is a {@link HistoryException}
 * (the database) or an {@link Unreachable} (the API), whose message is the one line the user reads.
 */
interface HistorySource extends AutoCloseable {

    /** The master's API gave no answer, or refused (401, 403, 503, ...). */
    final class Unreachable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unreachable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    List<RunRecord> runs(int limit);

    Optional<RunRecord> run(long id);

    List<ProcessSummary> processes(long run);

    HistoryPage query(HistoryQuery query);

    @Override
    void close();

    /** The store, read directly. */
    static HistorySource of(HistoryStore store) {
        return new HistorySource() {
            @Override
            public List<RunRecord> runs(int limit) {
                return store.runs(limit);
            }

            @Override
            public Optional<RunRecord> run(long id) {
                return store.run(id);
            }

            @Override
            public List<ProcessSummary> processes(long run) {
                return store.processes(run);
            }

            @Override
            public HistoryPage query(HistoryQuery query) {
                return store.query(query);
            }

            @Override
            public void close() {
                store.close();
            }
        };
    }

    /** A master's API at {@code url}. */
    static HistorySource http(String url, String token, Duration timeout) {
        return new Http(new AdminClient(url, token, timeout), token != null);
    }

    /** {@code GET /api/v1/runs}, {@code /api/v1/runs/{run}} and {@code /api/v1/history}. */
    final class Http implements HistorySource {
        private static final ObjectMapper JSON = new ObjectMapper();

        private final AdminClient client;
        private final boolean hasToken;

        Http(AdminClient client, boolean hasToken) {
            this.client = client;
            this.hasToken = hasToken;
        }

        @Override
        public List<RunRecord> runs(int limit) {
            List<RunRecord> runs = new ArrayList<>();
            get("/api/v1/runs?limit=" + Math.min(limit, 1000)).path("runs")
                    .forEach(r -> runs.add(HistoryJson.read(r, RunRecord.class)));
            return runs;
        }

        @Override
        public Optional<RunRecord> run(long id) {
            JsonNode answer = getOrNull("/api/v1/runs/" + id);
            return answer == null ? Optional.empty() : Optional.of(HistoryJson.read(answer.path("run"), RunRecord.class));
        }

        @Override
        public List<ProcessSummary> processes(long run) {
            JsonNode answer = getOrNull("/api/v1/runs/" + run);
            List<ProcessSummary> processes = new ArrayList<>();
            if (answer != null) {
                answer.path("processes").forEach(p -> processes.add(HistoryJson.read(p, ProcessSummary.class)));
            }
            return processes;
        }

        @Override
        public HistoryPage query(HistoryQuery q) {
            StringBuilder path = new StringBuilder("/api/v1/history?limit=" + Math.min(q.limit(), 1000));
            param(path, "run", q.run());
            param(path, "process", q.processId());
            param(path, "group", q.group());
            param(path, "host", q.host());
            if (q.kinds().size() < HistoryKind.values().length) {
                param(path, "kind", String.join(",", q.kinds().stream().map(HistoryKind::label).toList()));
            }
            param(path, "since", q.since() == null ? null : q.since().toEpochMilli());
            param(path, "until", q.until() == null ? null : q.until().toEpochMilli());
            param(path, "before", q.before());
            JsonNode answer = get(path.toString());
            List<HistoryEntry> entries = new ArrayList<>();
            answer.path("entries").forEach(e -> entries.add(HistoryJson.readEntry(e)));
            JsonNode next = answer.path("next");
            return new HistoryPage(entries, next.isTextual() ? next.asText() : null);
        }

        private static void param(StringBuilder path, String name, Object value) {
            if (value != null) {
                path.append('&').append(name).append('=').append(URLEncoder.encode(value.toString(),
                        StandardCharsets.UTF_8));
            }
        }

        private JsonNode get(String path) {
            JsonNode answer = getOrNull(path);
            if (answer == null) {
                throw new Unreachable("the master's HTTP API has no " + path, null);
            }
            return answer;
        }

        /** The answer's JSON; null for a 404. */
        private JsonNode getOrNull(String path) {
            AdminClient.Answer answer;
            try {
                answer = client.get(path);
            } catch (IOException e) {
                throw new Unreachable(e.getMessage(), e);
            }
            if (answer.status() == 404) {
                return null;
            }
            JsonNode body;
            try {
                body = JSON.readTree(answer.body());
            } catch (IOException e) {
                body = null;
            }
            if (answer.status() != 200 || body == null) {
                String error = body == null ? null : body.path("error").asText(null);
                throw new Unreachable("the master's HTTP API answered " + answer.status()
                        + (error == null ? "" : ": " + error)
                        + (answer.status() == 401 && !hasToken ? " (set " + HttpControl.TOKEN_ENV
                        + " to a token of the master)" : ""), null);
            }
            return body;
        }

        @Override
        public void close() {
            // one request at a time, nothing held
        }
    }
}
