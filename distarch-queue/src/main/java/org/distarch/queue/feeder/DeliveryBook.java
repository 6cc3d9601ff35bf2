package org.distarch.queue.feeder;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The feeder's exactly-once bookkeeping, apart from any socket, thread or clock, so that it can be checked by
 * property tests: an item taken from the source is at every moment in exactly one of three places, waiting
 * for a redelivery, held by one consumer (answer due), or ended with its one {@link Outcome}.
 *
 * <p>Every method that ends a delivery removes it from where it is before it returns the outcome, so a
 * second answer, a loss after an answer, or a stop after a loss finds nothing and reports nothing. The
 * caller (the feeder's loop) only does what the returned values say: report outcomes, log redeliveries.
 * Time comes in as plain milliseconds from the caller's clock.
 *
 * @param <T> the application's item type
 */
final class DeliveryBook<T> {

    /** An item waiting to be handed out: just taken from the source, or lost and due again. */
    record Pending<T>(T item, String itemId, int attempt) {}

    /** One hand-out of one item to the consumer numbered {@code consumer}, whose global id is {@code consumerId}. */
    record Delivery<T>(long number, T item, String itemId, int attempt, int consumer, long consumerId) {}

    /**
     * The one outcome of one item. {@code error} is null for a success. {@code consumerId} is the global id
     * of the consumer that held the item's last delivery (0 when none held it, or it did not say).
     */
    record Outcome<T>(T item, String itemId, int attempt, long consumerId, String error) {
        boolean succeeded() {
            return error == null;
        }
    }

    /** What a lost connection meant: items that ended (failed) and items queued for another consumer. */
    record Loss<T>(List<Outcome<T>> failed, List<Pending<T>> redelivered) {}

    private final int maxAttempts;
    private final Map<Long, Delivery<T>> inFlight = new HashMap<>();
    private final Map<Integer, Map<Long, Delivery<T>>> heldBy = new HashMap<>();
    private final Deque<Pending<T>> redeliveries = new ArrayDeque<>();
    private long nextDelivery = 1;
    private boolean stopping;
    private long drainDeadline;
    private long handedOut;
    private long succeeded;
    private long failed;

    /** @param maxAttempts hand-outs of one item before a loss fails it; 1 = no redelivery */
    DeliveryBook(int maxAttempts) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        this.maxAttempts = maxAttempts;
    }

    /** An item the source just gave: its first attempt, not handed out yet. */
    Pending<T> taken(T item, String itemId) {
        return new Pending<>(item, itemId, 1);
    }

    /** The lost item due again first, if any: redeliveries go before new items. */
    Optional<Pending<T>> nextRedelivery() {
        return Optional.ofNullable(redeliveries.pollFirst());
    }

    /** Hands {@code pending} to a consumer: from now on its answer, or its loss, decides. */
    Delivery<T> handOut(Pending<T> pending, int consumer, long consumerId) {
        if (consumer < 1) {
            throw new IllegalArgumentException("only a welcomed consumer (number >= 1) can hold items");
        }
        if (stopping) {
            throw new IllegalStateException("a stopping feeder hands nothing out");
        }
        Delivery<T> d = new Delivery<>(nextDelivery++, pending.item(), pending.itemId(), pending.attempt(), consumer,
                consumerId);
        inFlight.put(d.number(), d);
        heldBy.computeIfAbsent(consumer, k -> new LinkedHashMap<>()).put(d.number(), d);
        handedOut++;
        return d;
    }

    /** A handed-out delivery that could not be sent after all: it ends as a failure. */
    Optional<Outcome<T>> unsendable(Delivery<T> delivery, String why) {
        if (!forget(delivery.consumer(), delivery.number())) {
            return Optional.empty();
        }
        handedOut--; // it never reached the consumer
        failed++;
        return Optional.of(outcome(delivery, why));
    }

    /** The consumer's {@code done}; empty when it does not hold that delivery (a protocol error of the consumer). */
    Optional<Outcome<T>> done(int consumer, long delivery) {
        Delivery<T> d = inFlight.get(delivery);
        if (d == null || d.consumer() != consumer) {
            return Optional.empty();
        }
        forget(consumer, delivery);
        succeeded++;
        return Optional.of(outcome(d, null));
    }

    /** The consumer's {@code failed}: the item ran and failed, so it is not redelivered. Empty as for done. */
    Optional<Outcome<T>> failed(int consumer, long delivery, String error) {
        Delivery<T> d = inFlight.get(delivery);
        if (d == null || d.consumer() != consumer) {
            return Optional.empty();
        }
        forget(consumer, delivery);
        failed++;
        return Optional.of(outcome(d, error == null ? "" : error));
    }

    /**
     * The consumer's connection ended: each delivery it held is redelivered (oldest first, ahead of anything
     * already waiting) while attempts remain and the feeder is not stopping, else fails with
     * "lost with consumer N: reason".
     */
    Loss<T> lost(int consumer, String reason) {
        Map<Long, Delivery<T>> held = heldBy.remove(consumer);
        if (held == null || held.isEmpty()) {
            return new Loss<>(List.of(), List.of());
        }
        List<Delivery<T>> lost = new ArrayList<>(held.values());
        lost.sort((a, b) -> Long.compare(a.number(), b.number()));
        List<Outcome<T>> ended = new ArrayList<>();
        List<Pending<T>> again = new ArrayList<>();
        String why = "lost with consumer " + consumer + ": " + reason;
        for (Delivery<T> d : lost) {
            inFlight.remove(d.number());
            if (!stopping && d.attempt() < maxAttempts) {
                again.add(new Pending<>(d.item(), d.itemId(), d.attempt() + 1));
            } else {
                failed++;
                ended.add(outcome(d, why));
            }
        }
        for (int i = again.size() - 1; i >= 0; i--) {
            redeliveries.addFirst(again.get(i));
        }
        return new Loss<>(ended, again);
    }

    /**
     * The feeder stops at {@code now}: nothing more is handed out, so the items waiting for a redelivery fail
     * now; those in flight have until {@code now + drainMillis} for their answers. Later calls change nothing.
     */
    List<Outcome<T>> stop(long now, long drainMillis) {
        if (stopping) {
            return List.of();
        }
        stopping = true;
        drainDeadline = now + Math.max(0, drainMillis);
        return failWaiting();
    }

    boolean stopping() {
        return stopping;
    }

    /** The drain is over: stopping, and every answer is in or the deadline has passed. */
    boolean drained(long now) {
        return stopping && (inFlight.isEmpty() || now >= drainDeadline);
    }

    long drainDeadline() {
        return drainDeadline;
    }

    /**
     * The end: everything still in flight or waiting fails, so every item ever taken has had its outcome.
     * Connections should be reported {@link #lost} first, for their better reasons; this catches the rest.
     */
    List<Outcome<T>> finish(String reason) {
        stopping = true;
        List<Delivery<T>> left = new ArrayList<>(inFlight.values());
        left.sort((a, b) -> Long.compare(a.number(), b.number()));
        List<Outcome<T>> ended = new ArrayList<>();
        for (Delivery<T> d : left) {
            forget(d.consumer(), d.number());
            failed++;
            ended.add(outcome(d, reason));
        }
        ended.addAll(failWaiting());
        return ended;
    }

    int inFlight() {
        return inFlight.size();
    }

    int heldBy(int consumer) {
        Map<Long, Delivery<T>> held = heldBy.get(consumer);
        return held == null ? 0 : held.size();
    }

    int waitingForRedelivery() {
        return redeliveries.size();
    }

    long handedOutCount() {
        return handedOut;
    }

    long succeededCount() {
        return succeeded;
    }

    long failedCount() {
        return failed;
    }

    private List<Outcome<T>> failWaiting() {
        List<Outcome<T>> ended = new ArrayList<>();
        while (!redeliveries.isEmpty()) {
            Pending<T> p = redeliveries.pollFirst();
            failed++;
            ended.add(new Outcome<>(p.item(), p.itemId(), p.attempt(), 0,
                    "the feeder stopped before handing it out again"));
        }
        return ended;
    }

    private boolean forget(int consumer, long delivery) {
        if (inFlight.remove(delivery) == null) {
            return false;
        }
        Map<Long, Delivery<T>> held = heldBy.get(consumer);
        if (held != null) {
            held.remove(delivery);
            if (held.isEmpty()) {
                heldBy.remove(consumer);
            }
        }
        return true;
    }

    private static <T> Outcome<T> outcome(Delivery<T> d, String error) {
        return new Outcome<>(d.item(), d.itemId(), d.attempt(), d.consumerId(), error);
    }
}
