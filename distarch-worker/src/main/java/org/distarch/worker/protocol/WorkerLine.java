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

    /**
     * The worker cannot do its work where it runs, and trying again will not help (its port is taken, a
     * resource is missing): the master gives it up at once with {@code reason} instead of restarting it.
     */
    record CannotStart(String reason) implements WorkerLine {
        public CannotStart {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** A queue group's feeder has {@code connected} consumers connected and welcomed now (told when it changes). */
    record Consumers(int connected) implements WorkerLine {
        public Consumers {
            if (connected < 0) {
                throw new IllegalArgumentException("connected must be >= 0: " + connected);
            }
        }
    }

    /** A queue group's feeder listens: its consumers may start. {@code address} is for logs only. */
    record Listening(String address) implements WorkerLine {
        public Listening {
            Objects.requireNonNull(address, "address");
        }
    }

    /**
     * A queue item changed hands: received by a consumer, handled, or failed (with {@code error}).
     *
     * @param consumer      for an outcome, the global id ({@code DA_ID}) of the consumer that held the item's
     *                      delivery; 0 when unknown (none held it, or an old consumer did not say)
     * @param item          the item as JSON text, cut to {@link #MAX_ITEM_CHARS} characters; null when not given
     * @param itemTruncated true when {@code item} was cut
     */
    record QueueItem(ItemState state, String itemId, int attempt, String error, long consumer, String item,
            boolean itemTruncated) implements WorkerLine {

        /** The longest item text a line carries: listeners get the item itself, but a line stays bounded. */
        public static final int MAX_ITEM_CHARS = 4096;

        public QueueItem {
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(itemId, "itemId");
            if (attempt < 1) {
                throw new IllegalArgumentException("attempt must be at least 1, got " + attempt);
            }
            if (consumer < 0) {
                throw new IllegalArgumentException("consumer must be 0 or more, got " + consumer);
            }
            if (state == ItemState.FAILED) {
                error = error == null ? "" : error;
            } else {
                error = null;
            }
            if (item != null && item.length() > MAX_ITEM_CHARS) {
                // Never between the two halves of a surrogate pair: the cut text stays valid UTF-16.
                int end = Character.isHighSurrogate(item.charAt(MAX_ITEM_CHARS - 1)) ? MAX_ITEM_CHARS - 1
                        : MAX_ITEM_CHARS;
                item = item.substring(0, end);
                itemTruncated = true;
            }
            if (item == null) {
                itemTruncated = false;
            }
        }

        /** A step without consumer or item, as consumers report {@code received}. */
        public QueueItem(ItemState state, String itemId, int attempt, String error) {
            this(state, itemId, attempt, error, 0, null, false);
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
