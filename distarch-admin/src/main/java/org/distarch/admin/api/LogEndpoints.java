package org.distarch.admin.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.distarch.logs.LogLine;
import org.distarch.logs.LogSelector;
import org.distarch.logs.ProcessLogs;

/**
 * The processes' output over HTTP, from the master's per-process buffers ({@link ProcessLogs}, the store behind
 * {@code distarch logs}): the last lines of a process, a group or every process after a sequence number, and a
 * live stream of new ones as server-sent events ({@link LogFollower}). Reading never waits on supervision: the
 * store answers under a short lock, and a follower's subscription is bounded (what a slow client cannot take is
 * dropped, and the stream ends with a notice).
 */
final class LogEndpoints implements AutoCloseable {

    static final int DEFAULT_LINES = 100;
    static final int MAX_LINES = 100_000;
    static final int MAX_FOLLOWERS = 256;
    static final long KEEPALIVE_SECONDS = 15;
    static final Set<String> FILTERS = Set.of("lines", "after", "stream", "level", "q");
    static final Set<String> SELECTORS = Set.of("process", "group");

    private final ProcessLogs store;
    private final List<LogFollower> followers = new CopyOnWriteArrayList<>();
    /** Each line's message, encoded once for every follower. */
    private final SseLines encoded = new SseLines();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "distarch-admin-logs");
        t.setDaemon(true);
        return t;
    });

    /** @param store null when the master keeps no logs: the endpoints then answer 503 */
    LogEndpoints(ProcessLogs store) {
        this.store = store;
        thread.scheduleAtFixedRate(() -> followers.forEach(LogFollower::keepAlive), KEEPALIVE_SECONDS,
                KEEPALIVE_SECONDS, TimeUnit.SECONDS);
    }

    /** {@code GET /api/v1/processes/{id}/logs}. */
    Reply process(Exchange x) {
        only(x.query(), FILTERS);
        int id = FleetEndpoints.processId(x.path().get("id"));
        ProcessLogs logs = store();
        if (logs.resolve(Integer.toString(id)).isEmpty()) {
            throw ApiException.notFound("no process with id " + id + " has output kept (GET /api/v1/processes "
                    + "lists them)");
        }
        return tail(logs, LogSelector.process(id), x.query());
    }

    /** {@code GET /api/v1/logs}: every process, or a {@code group}'s, or one {@code process} ({@code 7}, {@code A/2}). */
    Reply logs(Exchange x) {
        only(x.query(), union(FILTERS, SELECTORS));
        ProcessLogs logs = store();
        return tail(logs, selector(logs, x.query()), x.query());
    }

    /** {@code GET /api/v1/logs/stream}: the backlog, then each new line; {@code Last-Event-ID} resumes. */
    Reply stream(Exchange x) {
        only(x.query(), union(FILTERS, SELECTORS));
        ProcessLogs logs = store();
        LogSelector selector = selector(logs, x.query());
        LineFilter filter = LineFilter.of(x.query());
        long after = number(x.query(), "after", 0, Long.MAX_VALUE, 0);
        int lines = (int) number(x.query(), "lines", 0, MAX_LINES, DEFAULT_LINES);
        String last = x.request().getHeaders().get("Last-Event-ID");
        if (last != null && !last.isBlank()) {
            try {
                after = Long.parseLong(last.trim());
                lines = MAX_LINES; // everything missed that the buffers still hold
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("Last-Event-ID must be a line's sequence number (got \"" + last + "\")");
            }
        }
        if (followers.size() >= MAX_FOLLOWERS) {
            throw new ApiException(503, "too many open log streams (" + MAX_FOLLOWERS + ")");
        }
        LogFollower[] holder = new LogFollower[1];
        LogFollower follower = new LogFollower(x.response(), x.callback(), filter, after, thread,
                () -> followers.remove(holder[0]), encoded);
        holder[0] = follower;
        followers.add(follower);
        follower.start(logs.follow(selector, after, filter.passesAll() ? lines : MAX_LINES,
                LogFollower.CAPACITY, follower::wakeup), lines);
        return null;
    }

    private Reply tail(ProcessLogs logs, LogSelector selector, Map<String, List<String>> query) {
        LineFilter filter = LineFilter.of(query);
        long after = number(query, "after", 0, Long.MAX_VALUE, 0);
        int lines = (int) number(query, "lines", 0, MAX_LINES, DEFAULT_LINES);
        List<LogLine> found = logs.tail(selector, after, filter.passesAll() ? lines : MAX_LINES);
        if (!filter.passesAll()) {
            found = last(found.stream().filter(filter::matches).toList(), lines);
        }
        ObjectNode answer = Json.MAPPER.createObjectNode();
        ArrayNode array = answer.putArray("lines");
        long lastSeq = after;
        for (LogLine line : found) {
            array.add(json(line));
            lastSeq = Math.max(lastSeq, line.seq());
        }
        answer.put("lastSeq", lastSeq);
        return Reply.ok(answer);
    }

    static <T> List<T> last(List<T> list, int n) {
        return list.size() <= n ? list : list.subList(list.size() - n, list.size());
    }

    private static LogSelector selector(ProcessLogs logs, Map<String, List<String>> query) {
        String process = ProcessFilter.single(query, "process");
        String group = ProcessFilter.single(query, "group");
        if (process != null && group != null) {
            throw ApiException.badRequest("give a process or a group, not both");
        }
        if (process != null) {
            Optional<Integer> id = logs.resolve(process);
            return LogSelector.process(id.orElseThrow(() -> ApiException.notFound("No process \"" + process
                    + "\" (give its id, as status shows, or group/groupId)")));
        }
        if (group != null) {
            if (!logs.groups().contains(group)) {
                throw ApiException.notFound("No group named \"" + group + "\"; groups: "
                        + String.join(", ", logs.groups()));
            }
            return LogSelector.group(group);
        }
        return LogSelector.all();
    }

    /** A line as the API writes it (and {@code distarch logs --json} prints it). */
    static ObjectNode json(LogLine line) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("seq", line.seq());
        node.put("time", line.epochMillis());
        node.put("id", line.id());
        node.put("group", line.group());
        node.put("groupId", line.groupId());
        node.put("host", line.host());
        node.put("process", line.process());
        node.put("stream", line.origin().wireName());
        node.put("level", line.level().name());
        node.put("text", line.text());
        return node;
    }

    private ProcessLogs store() {
        if (store == null) {
            throw new ApiException(503, "this master keeps no logs");
        }
        return store;
    }

    private static long number(Map<String, List<String>> q, String name, long min, long max, long fallback) {
        String text = ProcessFilter.single(q, name);
        if (text == null) {
            return fallback;
        }
        try {
            long value = Long.parseLong(text);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw ApiException.badRequest(name + " must be a whole number from " + min
                + (max == Long.MAX_VALUE ? "" : " to " + max) + " (got \"" + text + "\")");
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new java.util.TreeSet<>(a);
        all.addAll(b);
        return all;
    }

    private static void only(Map<String, List<String>> q, Set<String> known) {
        for (String name : q.keySet()) {
            if (!known.contains(name)) {
                throw ApiException.badRequest("unknown parameter \"" + name + "\"; known: "
                        + String.join(", ", new java.util.TreeSet<>(known)));
            }
        }
    }

    int followers() {
        return followers.size();
    }

    /** Ends every log stream and the thread that feeds them. */
    @Override
    public void close() {
        thread.shutdownNow();
        for (LogFollower f : new ArrayList<>(followers)) {
            f.close(null);
        }
        followers.clear();
    }
}
