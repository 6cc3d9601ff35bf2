package org.distarch.worker.protocol;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** One line printed by a worker, as the master understands it. See {@link WorkerLineCodec}. */
public sealed interface WorkerLine {

    /** An ordinary line: an {@code info} log line of the process, kept verbatim. */
    record Output(String text) implements WorkerLine {
        public Output {
            Objects.requireNonNull(text, "text");
        }
    }

    /** A log line with an explicit level and an optional flat context (order kept). */
    record Log(LogLevel level, String message, Map<String, String> context) implements WorkerLine {
        public Log {
            Objects.requireNonNull(level, "level");
            message = message == null ? "" : message;
            context = copyOf(context);
        }

        public Log(LogLevel level, String message) {
            this(level, message, Map.of());
        }

        /** Ordered, unmodifiable copy; null keys are dropped and null values become "". */
        private static Map<String, String> copyOf(Map<String, String> context) {
            if (context == null || context.isEmpty()) {
                return Map.of();
            }
            Map<String, String> copy = new LinkedHashMap<>();
            context.forEach((k, v) -> {
                if (k != null) {
                    copy.put(k, v == null ? "" : v);
                }
            });
            return copy.isEmpty() ? Map.of() : Collections.unmodifiableMap(copy);
        }
    }

    /** The worker is alive; nothing to log. */
    record Ping() implements WorkerLine {}

    /** The worker finished its work cleanly and is about to exit. */
    record Ended() implements WorkerLine {}
}
