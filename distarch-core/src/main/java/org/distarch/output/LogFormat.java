package org.distarch.output;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Map;

/** The two ways the master writes its log: text for people, one JSON object per line for log shippers. */
public enum LogFormat {
    TEXT {
        @Override
        void append(StringBuilder out, LogRecord r, TimestampCache times) {
            times.appendLocal(out, r.epochMillis());
            out.append(' ').append(r.level().name());
            if (r.level().name().length() == 4) {
                out.append(' ');
            }
            out.append(' ');
            String prefix = r.source() == null ? "[master]" : r.source().prefix();
            String message = r.message();
            if (message.indexOf('\n') < 0) {
                out.append(prefix).append(' ').append(message);
                appendContext(out, r.context());
                out.append('\n');
                return;
            }
            // Multi-line messages (stack traces) keep the prefix on every line so grep still works.
            int start = 0;
            int lineNo = 0;
            while (start <= message.length()) {
                int nl = message.indexOf('\n', start);
                int end = nl < 0 ? message.length() : nl;
                if (lineNo++ > 0) {
                    out.append("    ... ");
                }
                out.append(prefix).append(' ').append(message, start, end);
                if (nl < 0) {
                    appendContext(out, r.context());
                }
                out.append('\n');
                if (nl < 0) {
                    break;
                }
                start = nl + 1;
            }
        }
    },
    JSON {
        @Override
        void append(StringBuilder out, LogRecord r, TimestampCache times) {
            out.append("{\"time\":\"").append(Instant.ofEpochMilli(r.epochMillis())).append("\",\"level\":\"")
                    .append(r.level().name()).append('"');
            LogSource s = r.source();
            if (s != null) {
                out.append(",\"group\":");
                Json.string(out, s.group());
                out.append(",\"host\":");
                Json.string(out, s.host());
                out.append(",\"process\":");
                Json.string(out, s.display());
                if (s.id() > 0) {
                    out.append(",\"id\":").append(s.id()).append(",\"group_id\":").append(s.groupId());
                }
            } else {
                out.append(",\"process\":\"master\"");
            }
            if (r.stream() != null) {
                out.append(",\"stream\":\"").append(r.stream()).append('"');
            }
            out.append(",\"message\":");
            Json.string(out, r.message());
            if (!r.context().isEmpty()) {
                out.append(",\"context\":{");
                boolean first = true;
                for (Map.Entry<String, String> e : r.context().entrySet()) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    Json.string(out, e.getKey());
                    out.append(':');
                    Json.string(out, e.getValue());
                }
                out.append('}');
            }
            out.append("}\n");
        }
    };

    abstract void append(StringBuilder out, LogRecord record, TimestampCache times);

    public String format(LogRecord record) {
        StringBuilder out = new StringBuilder(128);
        append(out, record, new TimestampCache(ZoneId.systemDefault()));
        return out.toString();
    }

    private static void appendContext(StringBuilder out, Map<String, String> context) {
        for (Map.Entry<String, String> e : context.entrySet()) {
            out.append(' ').append(e.getKey()).append('=').append(e.getValue());
        }
    }

    /** Formats "yyyy-MM-dd HH:mm:ss.SSS" in local time, reusing the text of the current second. */
    static final class TimestampCache {
        private final ZoneId zone;
        private long second = Long.MIN_VALUE;
        private String secondText = "";

        TimestampCache(ZoneId zone) {
            this.zone = zone;
        }

        void appendLocal(StringBuilder out, long millis) {
            long sec = Math.floorDiv(millis, 1000);
            if (sec != second) {
                LocalDateTime t = LocalDateTime.ofInstant(Instant.ofEpochSecond(sec), zone);
                secondText = String.format("%04d-%02d-%02d %02d:%02d:%02d.", t.getYear(), t.getMonthValue(),
                        t.getDayOfMonth(), t.getHour(), t.getMinute(), t.getSecond());
                second = sec;
            }
            int ms = (int) Math.floorMod(millis, 1000);
            out.append(secondText);
            if (ms < 100) {
                out.append('0');
            }
            if (ms < 10) {
                out.append('0');
            }
            out.append(ms);
        }
    }
}
