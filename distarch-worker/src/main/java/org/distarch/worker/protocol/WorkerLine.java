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

    /** A queue group's feeder listens: its consumers may start. {@code address} is for logs only. */
    record Listening(String address) implements WorkerLine {
        public Listening {
            Objects.requireNonNull(address, "address");
        }
    }

    /** A queue item changed hands: received by a consumer, handled, or failed (with {@code error}). */
    record QueueItem(ItemState state, String itemId, int attempt, String error) implements WorkerLine {
        public QueueItem {
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(itemId, "itemId");
            if (attempt < 1) {
                throw new IllegalArgumentException("attempt must be at least 1, got " + attempt);
            }
            if (state == ItemState.FAILED) {
                error = error == null ? "" : error;
            } else {
                error = null;
            }
        }
    }

    /** What happened to a queue item, as {@link QueueItem} reports it. */
    enum ItemState {
        RECEIVED, HANDLED, FAILED;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
