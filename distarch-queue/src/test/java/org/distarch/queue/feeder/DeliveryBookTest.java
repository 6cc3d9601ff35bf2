package org.distarch.queue.feeder;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The book's rules, one example each. */
class DeliveryBookTest {

    private final DeliveryBook<String> book = new DeliveryBook<>(2);

    @Test
    void doneReportsASuccessOnceAndASecondDoneFindsNothing() {
        DeliveryBook.Delivery<String> d = book.handOut(book.taken("a", "a"), 1, 42);
        DeliveryBook.Outcome<String> o = book.done(1, d.number()).orElseThrow();
        assertThat(o.succeeded()).isTrue();
        assertThat(o.consumerId()).isEqualTo(42);
        assertThat(book.done(1, d.number())).isEmpty();
        assertThat(book.failed(1, d.number(), "late")).isEmpty();
    }

    @Test
    void anAnswerFromAConsumerThatDoesNotHoldTheDeliveryIsRefused() {
        DeliveryBook.Delivery<String> d = book.handOut(book.taken("a", "a"), 1, 0);
        assertThat(book.done(2, d.number())).isEmpty();
        assertThat(book.heldBy(1)).isEqualTo(1);
    }

    @Test
    void aLostItemIsRedeliveredFirstWithTheNextAttemptThenFailsAfterTheLast() {
        book.handOut(book.taken("a", "a"), 1, 0);
        DeliveryBook.Loss<String> first = book.lost(1, "connection reset");
        assertThat(first.failed()).isEmpty();
        DeliveryBook.Pending<String> again = book.nextRedelivery().orElseThrow();
        assertThat(again.attempt()).isEqualTo(2);
        book.handOut(again, 2, 7);
        DeliveryBook.Loss<String> second = book.lost(2, "silent for 10000 ms");
        assertThat(second.failed()).singleElement().satisfies(o -> {
            assertThat(o.error()).isEqualTo("lost with consumer 2: silent for 10000 ms");
            assertThat(o.consumerId()).isEqualTo(7);
            assertThat(o.attempt()).isEqualTo(2);
        });
        assertThat(book.nextRedelivery()).isEmpty();
    }

    @Test
    void theDrainEndsWhenTheLastAnswerArrivesOrAtTheDeadline() {
        DeliveryBook.Delivery<String> d = book.handOut(book.taken("a", "a"), 1, 0);
        book.handOut(book.taken("b", "b"), 1, 0);
        book.stop(1000, 500);
        assertThat(book.drained(1499)).isFalse();
        book.done(1, d.number());
        assertThat(book.drained(1499)).isFalse();
        assertThat(book.drained(1500)).isTrue();
        assertThat(book.finish("the feeder stopped")).singleElement()
                .satisfies(o -> assertThat(o.error()).isEqualTo("the feeder stopped"));
    }

    @Test
    void stoppingFailsTheItemsWaitingForARedelivery() {
        book.handOut(book.taken("a", "a"), 1, 0);
        book.lost(1, "closed");
        assertThat(book.stop(0, 100)).singleElement()
                .satisfies(o -> assertThat(o.error()).isEqualTo("the feeder stopped before handing it out again"));
        assertThat(book.drained(0)).isTrue();
    }
}
