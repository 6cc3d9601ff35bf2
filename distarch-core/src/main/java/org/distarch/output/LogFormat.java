package org.distarch.output;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import org.distarch.worker.protocol.LogLevel;

/**
 * The two ways the master writes its log: text for people, one JSON object per line for log shippers. Lines are
 * formatted straight into bytes ({@link ByteLines}): the text format copies the cached bytes of the current
 * second's timestamp, of the level and of the process's prefix, then the message's own bytes, so a flood of
 * worker lines costs no {@code String} per line on the writing side.
 */
public enum LogFormat {
    TEXT {
        @Override
        void write(ByteLines out, LogRecord r, Cache cache) {
            byte[] level = LEVELS[r.level().ordinal()];
            byte[] prefix = cache.prefix(r.source());
            String message = r.message();
            if (message.indexOf('\n') < 0) {
                out.put(cache.head(r.epochMillis(), level, prefix));
                out.put(message.getBytes(StandardCharsets.UTF_8));
                putContext(out, r.context());
                out.put((byte) '\n');
                return;
            }
            // Multi-line messages (stack traces) keep the prefix on every line so grep still works.
            cache.putTime(out, r.epochMillis());
            out.put(level);
            int start = 0;
            int lineNo = 0;
            while (start <= message.length()) {
                int nl = message.indexOf('\n', start);
                int end = nl < 0 ? message.length() : nl;
                if (lineNo++ > 0) {
                    out.put(CONTINUED);
                }
                out.put(prefix);
                out.put(message.substring(start, end).getBytes(StandardCharsets.UTF_8));
                if (nl < 0) {
                    putContext(out, r.context());
                }
                out.put((byte) '\n');
                if (nl < 0) {
                    break;
                }
                start = nl + 1;
            }
        }
    },
    JSON {
        @Override
        void write(ByteLines out, LogRecord r, Cache cache) {
            StringBuilder json = cache.json();
            json.append("{\"time\":\"").append(Instant.ofEpochMilli(r.epochMillis())).append("\",\"level\":\"")
                    .append(r.level().name()).append('"');
            LogSource s = r.source();
            if (s != null) {
                json.append(",\"group\":");
                Json.string(json, s.group());
                json.append(",\"host\":");
                Json.string(json, s.host());
                json.append(",\"process\":");
                Json.string(json, s.display());
                if (s.id() > 0) {
                    json.append(",\"id\":").append(s.id()).append(",\"group_id\":").append(s.groupId());
                }
            } else {
                json.append(",\"process\":\"master\"");
            }
            if (r.stream() != null) {
                json.append(",\"stream\":\"").append(r.stream()).append('"');
            }
            json.append(",\"message\":");
            Json.string(json, r.message());
            if (!r.context().isEmpty()) {
                json.append(",\"context\":{");
                boolean first = true;
                for (Map.Entry<String, String> e : r.context().entrySet()) {
                    if (!first) {
                        json.append(',');
                    }
                    first = false;
                    Json.string(json, e.getKey());
                    json.append(':');
                    Json.string(json, e.getValue());
                }
                json.append('}');
            }
            json.append("}\n");
            out.put(json.toString().getBytes(StandardCharsets.UTF_8));
        }
    };

    /** " INFO  ", " WARN  ", " ERROR " ...: the level between the timestamp and the prefix, by ordinal. */
    private static final byte[][] LEVELS;
    private static final byte[] CONTINUED = "    ... ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MASTER_PREFIX = "[master] ".getBytes(StandardCharsets.US_ASCII);

    static {
        LogLevel[] all = LogLevel.values();
        LEVELS = new byte[all.length][];
        for (LogLevel level : all) {
            String name = level.name();
            LEVELS[level.ordinal()] = (" " + name + (name.length() == 4 ? "  " : " ")).getBytes(StandardCharsets.US_ASCII);
        }
    }

    /** Appends {@code record} as one line (several for a multi-line message) of this format. */
    abstract void write(ByteLines out, LogRecord record, Cache cache);

    public String format(LogRecord record) {
        ByteLines out = new ByteLines(128);
        write(out, record, new Cache(ZoneId.systemDefault()));
        return out.text();
    }

    private static void putContext(ByteLines out, Map<String, String> context) {
        if (context.isEmpty()) {
            return;
        }
        StringBuilder s = new StringBuilder();
        for (Map.Entry<String, String> e : context.entrySet()) {
            s.append(' ').append(e.getKey()).append('=').append(e.getValue());
        }
        out.put(s.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * What a writer thread reuses from line to line: the bytes of the current second's timestamp
     * ("yyyy-MM-dd HH:mm:ss." in local time; the milliseconds are three digits added per line) and each process's
     * prefix bytes. One per writer thread; not thread-safe.
     */
    static final class Cache {
        private static final int MAX_PREFIXES = 4096;
        private final LocalTimestamps times;
        private LogSource lastSource;
        private byte[] lastPrefix;
        private final Map<LogSource, byte[]> prefixes = new HashMap<>();
        private StringBuilder json = new StringBuilder(256);

        Cache(ZoneId zone) {
            this.times = new LocalTimestamps(zone);
        }

        void putTime(ByteLines out, long millis) {
            times.put(out, millis);
        }

        /** The timestamp, the level's bytes and the prefix, made once while lines share all three. */
        byte[] head(long millis, byte[] level, byte[] prefix) {
            return times.head(millis, level, prefix);
        }

        /** "[group] [host] [display] " (with its trailing space), or "[master] ". */
        byte[] prefix(LogSource source) {
            if (source == null) {
                return MASTER_PREFIX;
            }
            if (source == lastSource) {
                return lastPrefix;
            }
            byte[] bytes = prefixes.get(source);
            if (bytes == null) {
                if (prefixes.size() >= MAX_PREFIXES) {
                    prefixes.clear(); // sources come and go with reloads: stay bounded
                }
                bytes = (source.prefix() + " ").getBytes(StandardCharsets.UTF_8);
                prefixes.put(source, bytes);
            }
            lastSource = source;
            lastPrefix = bytes;
            return bytes;
        }

        StringBuilder json() {
            if (json.capacity() > 64 * 1024) {
                json = new StringBuilder(256); // one huge line must not keep a huge builder
            }
            json.setLength(0);
            return json;
        }
    }
}
