package org.distarch.queue.feeder;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Random interleavings of hand-outs, answers (right, duplicate, unknown, from the wrong consumer), lost
 * connections and stops: no item ever gets a second outcome, and once the book is finished every item taken
 * has exactly one.
 */
class DeliveryBookPropertiesTest {

    enum Kind { HAND_OUT, DONE, FAILED, LOST, STOP, TICK }

    /** One step: {@code consumer} 1..3; {@code pick} chooses among the deliveries seen so far, or an unknown one. */
    record Step(Kind kind, int consumer, int pick) {}

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Kind> kind = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.just(Kind.HAND_OUT)),
                net.jqwik.api.Tuple.of(4, Arbitraries.just(Kind.DONE)),
                net.jqwik.api.Tuple.of(2, Arbitraries.just(Kind.FAILED)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(Kind.LOST)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(Kind.TICK)),
                net.jqwik.api.Tuple.of(1, Arbitraries.oneOf(Arbitraries.just(Kind.STOP), Arbitraries.just(Kind.TICK))));
        Arbitrary<Step> step = Combinators.combine(kind, Arbitraries.integers().between(1, 3),
                Arbitraries.integers().between(0, 1000)).as(Step::new);
        return step.list().ofMaxSize(200);
    }

    /** Replays the steps against a book and checks outcomes as they come; returns outcomes per item. */
    private static Map<String, List<String>> replay(List<Step> steps, int maxAttempts) {
        DeliveryBook<String> book = new DeliveryBook<>(maxAttempts);
        Map<String, List<String>> outcomes = new HashMap<>();
        List<String> taken = new ArrayList<>();
        List<Long> seen = new ArrayList<>();
        long now = 0;
        int next = 1;
        for (Step s : steps) {
            switch (s.kind()) {
                case HAND_OUT -> {
                    if (book.stopping()) {
                        break;
                    }
                    Optional<DeliveryBook.Pending<String>> again = book.nextRedelivery();
                    DeliveryBook.Pending<String> p;
                    if (again.isPresent()) {
                        p = again.get();
                    } else {
                        String item = "item-" + next++;
                        taken.add(item);
                        p = book.taken(item, item);
                    }
                    DeliveryBook.Delivery<String> d = book.handOut(p, s.consumer(), 100 + s.consumer());
                    seen.add(d.number());
                    if (s.pick() % 17 == 0) { // now and then the frame cannot be written
                        record(outcomes, book.unsendable(d, "item too large"));
                    }
                }
                case DONE -> record(outcomes, book.done(s.consumer(), pick(seen, s.pick())));
                case FAILED -> record(outcomes, book.failed(s.consumer(), pick(seen, s.pick()), "boom"));
                case LOST -> {
                    DeliveryBook.Loss<String> loss = book.lost(s.consumer(), "connection closed");
                    loss.failed().forEach(o -> record(outcomes, Optional.of(o)));
                    assertThat(loss.redelivered()).allMatch(p -> p.attempt() <= maxAttempts);
                }
                case STOP -> book.stop(now, 50).forEach(o -> record(outcomes, Optional.of(o)));
                case TICK -> now += 10;
            }
            for (List<String> o : outcomes.values()) {
                assertThat(o).hasSize(1);
            }
        }
        book.finish("the feeder stopped").forEach(o -> record(outcomes, Optional.of(o)));
        assertThat(outcomes.keySet()).containsExactlyInAnyOrderElementsOf(taken);
        assertThat(book.inFlight()).isZero();
        assertThat(book.waitingForRedelivery()).isZero();
        assertThat(book.succeededCount() + book.failedCount()).isEqualTo(taken.size());
        return outcomes;
    }

    /** Mostly a delivery seen before (possibly answered already: a duplicate), sometimes one never handed out. */
    private static long pick(List<Long> seen, int pick) {
        if (seen.isEmpty() || pick % 10 == 0) {
            return 1_000_000L + pick;
        }
        return seen.get(pick % seen.size());
    }

    private static void record(Map<String, List<String>> outcomes, Optional<DeliveryBook.Outcome<String>> outcome) {
        outcome.ifPresent(o -> {
            List<String> list = outcomes.computeIfAbsent(o.itemId(), k -> new ArrayList<>());
            list.add(o.succeeded() ? "ok" : "error " + o.error());
            assertThat(list).as("outcomes of %s", o.itemId()).hasSize(1);
        });
    }

    @Property(tries = 500)
    void everyItemTakenEndsWithExactlyOneOutcome(@ForAll("steps") List<Step> steps,
            @ForAll @IntRange(min = 1, max = 4) int maxAttempts) {
        replay(steps, maxAttempts);
    }

    @Property(tries = 300)
    void aSuccessIsOnlyEverReportedForADeliveryItsConsumerAnsweredDone(@ForAll("steps") List<Step> steps) {
        // Without DONE steps nothing may succeed: losses, stops and failures never turn into a success.
        List<Step> noDone = steps.stream().filter(s -> s.kind() != Kind.DONE).toList();
        Map<String, List<String>> outcomes = replay(noDone, 3);
        assertThat(outcomes.values()).allMatch(o -> o.get(0).startsWith("error "));
    }

    @Property(tries = 300)
    void afterAStopNothingIsRedelivered(@ForAll("steps") List<Step> steps) {
        DeliveryBook<String> book = new DeliveryBook<>(5);
        int n = 0;
        for (Step s : steps) {
            if (s.kind() == Kind.HAND_OUT) {
                book.handOut(book.taken("i" + n, "i" + n++), s.consumer(), 0);
            }
        }
        book.stop(0, 10);
        for (int c = 1; c <= 3; c++) {
            DeliveryBook.Loss<String> loss = book.lost(c, "gone");
            assertThat(loss.redelivered()).isEmpty();
        }
        assertThat(book.nextRedelivery()).isEmpty();
        assertThat(book.failedCount()).isEqualTo(n);
    }
}
