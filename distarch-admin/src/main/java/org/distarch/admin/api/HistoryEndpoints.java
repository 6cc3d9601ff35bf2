package org.distarch.admin.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.distarch.history.HistoryException;
import org.distarch.history.HistoryJson;
import org.distarch.history.HistoryKind;
import org.distarch.history.HistoryOptions;
import org.distarch.history.HistoryPage;
import org.distarch.history.HistoryQuery;
import org.distarch.history.HistoryStore;
import org.distarch.history.RunRecord;

/**
 * The history's reads: entries by run, process, group, host, kind and time, newest first, paged by the
 * store's cursor ({@code next} of one page is {@code before} of the next); the runs; one run with its processes
 * as last seen. The store is opened at the first request (beside the writer's own connection), and read one
 * request at a time.
 */
final class HistoryEndpoints {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    static final Set<String> PARAMETERS = Set.of("run", "process", "group", "host", "kind", "since", "until", "limit",
            "before");

    private static final Pattern AGE = Pattern.compile("(\\d{1,9})([smhd])");

    private final HistoryOptions options;
    private final LongSupplier currentRun;
    private final Clock clock;
    private HistoryStore store;

    HistoryEndpoints(HistoryOptions options, LongSupplier currentRun, Clock clock) {
        this.options = options;
        this.currentRun = currentRun;
        this.clock = clock;
    }

    /** {@code GET /api/v1/history}: every run unless {@code run} is given ({@code current}: the master's now). */
    Reply history(Exchange x) {
        return page(query(x.query(), null, false));
    }

    /** {@code GET /api/v1/processes/{id}/history}: the process of this run (another with {@code run}). */
    Reply process(Exchange x) {
        int id = FleetEndpoints.processId(x.path().get("id"));
        if (x.query().containsKey("process")) {
            throw ApiException.badRequest("the process is in the path; give no process parameter");
        }
        return page(query(x.query(), id, true));
    }

    /** {@code GET /api/v1/runs}: the newest runs first, at most {@code limit} (default 20). */
    Reply runs(Exchange x) {
        only(x.query(), Set.of("limit"));
        int limit = limit(x.query(), 20);
        List<RunRecord> runs = read(s -> s.runs(limit));
        ObjectNode answer = Json.MAPPER.createObjectNode();
        long current = currentRun.getAsLong();
        answer.put("current", current == 0 ? null : current);
        ArrayNode array = answer.putArray("runs");
        runs.forEach(r -> array.add(HistoryJson.object(r)));
        return Reply.ok(answer);
    }

    /** {@code GET /api/v1/runs/{run}}: the run and each of its processes as the history last saw it. */
    Reply run(Exchange x) {
        only(x.query(), Set.of());
        long id = runId(x.path().get("run"));
        ObjectNode answer = read(s -> {
            RunRecord run = s.run(id).orElseThrow(() -> ApiException.notFound("no run " + id + " in the history "
                    + "(GET /api/v1/runs lists them)"));
            ObjectNode node = Json.MAPPER.createObjectNode();
            node.set("run", HistoryJson.object(run));
            ArrayNode processes = node.putArray("processes");
            s.processes(id).forEach(p -> processes.add(HistoryJson.object(p)));
            return node;
        });
        return Reply.ok(answer);
    }

    private Reply page(HistoryQuery query) {
        HistoryPage page = read(s -> s.query(query));
        ObjectNode answer = Json.MAPPER.createObjectNode();
        ArrayNode entries = answer.putArray("entries");
        page.entries().forEach(e -> entries.add(HistoryJson.entry(e)));
        answer.put("next", page.next());
        return Reply.ok(answer);
    }

    private HistoryQuery query(Map<String, List<String>> q, Integer process, boolean currentByDefault) {
        only(q, PARAMETERS);
        HistoryQuery query = HistoryQuery.all().limit(limit(q, DEFAULT_LIMIT));
        String run = ProcessFilter.single(q, "run");
        if (run == null && currentByDefault || "current".equals(run)) {
            long current = currentRun.getAsLong();
            if (current == 0) {
                throw new ApiException(503, "the history has not recorded this run yet (its database may be down); "
                        + "give run=N");
            }
            query = query.run(current);
        } else if (run != null) {
            query = query.run(runId(run));
        }
        String processParameter = ProcessFilter.single(q, "process");
        query = query.process(process != null ? process
                : processParameter == null ? null : FleetEndpoints.processId(processParameter));
        query = query.group(ProcessFilter.single(q, "group")).host(ProcessFilter.single(q, "host"));
        List<String> kinds = q.get("kind");
        if (kinds != null) {
            Set<HistoryKind> set = EnumSet.noneOf(HistoryKind.class);
            for (String value : kinds) {
                for (String k : value.split(",")) {
                    try {
                        set.add(HistoryKind.parse(k.trim()));
                    } catch (IllegalArgumentException e) {
                        throw ApiException.badRequest(e.getMessage());
                    }
                }
            }
            query = query.kinds(set);
        }
        query = query.between(time(q, "since"), time(q, "until"));
        String before = ProcessFilter.single(q, "before");
        try {
            return before == null ? query : query.before(before);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("before: " + e.getMessage() + " (give the next of a page as it came)");
        }
    }

    /** Epoch milliseconds, or an age ({@code 30s}, {@code 10m}, {@code 2h}, {@code 7d}) before now. */
    private Instant time(Map<String, List<String>> q, String name) {
        String text = ProcessFilter.single(q, name);
        if (text == null) {
            return null;
        }
        if (text.matches("\\d{1,18}")) {
            return Instant.ofEpochMilli(Long.parseLong(text));
        }
        Matcher m = AGE.matcher(text.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw ApiException.badRequest(name + " must be epoch milliseconds or an age such as 30s, 10m, 2h or 7d "
                    + "(got \"" + text + "\")");
        }
        long n = Long.parseLong(m.group(1));
        Duration age = switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
        return clock.instant().minus(age);
    }

    private static int limit(Map<String, List<String>> q, int fallback) {
        String text = ProcessFilter.single(q, "limit");
        if (text == null) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text);
            if (value < 1 || value > MAX_LIMIT) {
                throw ApiException.badRequest("limit must be between 1 and " + MAX_LIMIT + " (got " + value + ")");
            }
            return value;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("limit must be a whole number (got \"" + text + "\")");
        }
    }

    private static long runId(String text) {
        try {
            long id = Long.parseLong(text);
            if (id >= 1) {
                return id;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw ApiException.badRequest("a run is a whole number from 1, or current (got \"" + text + "\")");
    }

    private static void only(Map<String, List<String>> q, Set<String> known) {
        for (String name : q.keySet()) {
            if (!known.contains(name)) {
                throw ApiException.badRequest("unknown parameter \"" + name + "\""
                        + (known.isEmpty() ? "" : "; known: " + String.join(", ", known.stream().sorted().toList())));
            }
        }
    }

    private interface Read<T> {
        T apply(HistoryStore store);
    }

    private synchronized <T> T read(Read<T> read) {
        if (options == null) {
            throw new ApiException(503, "this master keeps no history");
        }
        try {
            if (store == null) {
                store = HistoryStore.open(options);
            }
            return read.apply(store);
        } catch (HistoryException e) {
            closeStore(); // opened again at the next request: the database may be back by then
            throw new ApiException(503, "the history cannot be read now: " + e.getMessage());
        }
    }

    synchronized void close() {
        closeStore();
    }

    private void closeStore() {
        if (store != null) {
            try {
                store.close();
            } catch (RuntimeException e) {
                // going away anyway
            }
            store = null;
        }
    }
}
