package org.distarch.queue.feeder;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.distarch.queue.feeder.DeliveryBook.Outcome;
import org.distarch.queue.protocol.QueueCodec;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;

/**
 * The application's source as the feeder's loop uses it: asking for the next item (and not asking an empty
 * source again before its interval), naming items, and telling each outcome to the source and the report.
 * The application's exceptions stop here: a failing callback is logged, never fatal to the feeder.
 */
final class FeederSource<T> {

    private static final long EMPTY_LOG_INTERVAL_MILLIS = 60_000;

    private final ItemSource<T> source;
    private final ObjectMapper json;
    private final Logger log;
    private final FeederReport report;
    private final long emptyIntervalMillis;
    private long nextItemNumber = 1;
    private long askAt;
    private boolean saidEmpty;
    private long lastSaidEmpty = Long.MIN_VALUE;

    FeederSource(ItemSource<T> source, ObjectMapper json, Logger log, FeederReport report, long emptyIntervalMillis) {
        this.source = source;
        this.json = json;
        this.log = log;
        this.report = report;
        this.emptyIntervalMillis = Math.max(1, emptyIntervalMillis);
    }

    /** Items may have arrived: the next {@link #next} asks the source at once. */
    void itemsAvailable() {
        askAt = Long.MIN_VALUE;
    }

    /** When the source will be asked again after saying it was empty; before that {@link #next} gives null. */
    long askAt() {
        return askAt;
    }

    /** The source's next item, or null when it has none now (or was empty less than an interval ago). */
    T next(long now) {
        if (now < askAt) {
            return null;
        }
        T item;
        try {
            item = source.empty() ? null : source.next();
        } catch (RuntimeException e) {
            log.error("The feeder's source failed: {}", e.toString());
            item = null;
        }
        if (item != null) {
            saidEmpty = false;
            return item;
        }
        askAt = now + emptyIntervalMillis;
        if (!saidEmpty) {
            saidEmpty = true;
            // The seed's message, once per idle spell and at most once a minute: a trickle of items would
            // otherwise print it after every one.
            if (lastSaidEmpty == Long.MIN_VALUE || now - lastSaidEmpty >= EMPTY_LOG_INTERVAL_MILLIS) {
                lastSaidEmpty = now;
                log.info("Feeder queue is empty");
            }
        }
        return null;
    }

    /** The source's id for the item, or the next number when it gives none. */
    String idOf(T item) {
        String id = null;
        try {
            id = source.idOf(item);
        } catch (RuntimeException e) {
            log.warn("The feeder's idOf failed: {}", e.toString());
        }
        if (id == null || id.isEmpty()) {
            id = Long.toString(nextItemNumber);
        }
        nextItemNumber++;
        return id;
    }

    /** The one place an item's outcome goes out: to the application's source, then to the master's events. */
    void tell(Outcome<HeldItem<T>> o) {
        String itemJson = itemJson(o.item());
        T item = o.item().item;
        if (o.succeeded()) {
            try {
                source.success(item);
            } catch (RuntimeException e) {
                log.error("The feeder's success callback failed for item {}: {}", o.itemId(), e.toString());
            }
            report.itemHandled(o.itemId(), o.attempt(), o.consumerId(), itemJson);
        } else {
            try {
                source.error(item, o.error());
            } catch (RuntimeException e) {
                log.error("The feeder's error callback failed for item {}: {}", o.itemId(), e.toString());
            }
            report.itemFailed(o.itemId(), o.attempt(), o.consumerId(), o.error(), itemJson);
        }
    }

    /**
     * The {@code item} frame of a delivery.
     *
     * @throws IllegalArgumentException why the item cannot travel (too large, or not writable as JSON)
     */
    byte[] frameOf(DeliveryBook.Delivery<HeldItem<T>> d, int maxFrame) {
        HeldItem<T> held = d.item();
        try {
            if (held.json == null) {
                held.json = utf8(json.writeValueAsString(held.item));
            }
            return QueueCodec.encodeItem(d.number(), d.itemId(), d.attempt(), held.json, maxFrame);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("item cannot be written as JSON: " + e.getOriginalMessage(), e);
        } catch (IllegalArgumentException e) {
            // Jackson's conversion errors and the codec's size limit both land here.
            String why = e.getMessage() != null && e.getMessage().contains("exceeds the limit")
                    ? "item too large: " + e.getMessage() : "item cannot be written as JSON: " + e.getMessage();
            throw new IllegalArgumentException(why, e);
        }
    }

    /** Through a String, as the codec does: an unpaired surrogate becomes '?' instead of failing the item. */
    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The item's JSON as it was sent; written now only for an item that failed before any hand-out. */
    private String itemJson(HeldItem<T> held) {
        if (held.json == null) {
            try {
                held.json = utf8(json.writeValueAsString(held.item));
            } catch (JsonProcessingException | RuntimeException e) {
                return null; // such an item failed as unsendable; its outcome line goes without it
            }
        }
        return new String(held.json, StandardCharsets.UTF_8);
    }
}
