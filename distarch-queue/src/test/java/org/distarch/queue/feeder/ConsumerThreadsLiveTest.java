package org.distarch.queue.feeder;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.distarch.queue.consumer.ConsumerClient;
import org.distarch.queue.consumer.ConsumerOptions;
import org.distarch.queue.consumer.ConsumerReport;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A real consumer against a real feeder, about who reads the consumer's socket: the handler's own thread while
 * it is idle (no hand-over per item), a keeper while a handler runs long. Regression guards for that split.
 */
class ConsumerThreadsLiveTest {

    private static final Duration TIMEOUT = Duration.ofMillis(300);

    private static Thread consume(ConsumerClient client, AtomicInteger handled, long slowMillis, String slowItem) {
        Thread t = new Thread(() -> {
            try {
                client.run((id, attempt, payload) -> {
                    if (id.equals(slowItem)) {
                        Thread.sleep(slowMillis);
                    }
                    handled.incrementAndGet();
                });
            } catch (InterruptedException ignored) {
                // test over
            }
        }, "consumer-under-test");
        t.start();
        return t;
    }

    /** A handler five network timeouts long: the keeper answers the pings, so nothing is lost or handed out twice. */
    @Test
    void aHandlerFarLongerThanTheNetworkTimeoutKeepsItsConnectionAndEveryItemSucceedsOnce() throws Exception {
        for (int prefetch : List.of(1, 8)) {
            try (FeederUnderTest feeder = new FeederUnderTest(40, 1, TIMEOUT, Clock.systemUTC())) {
                ConsumerClient client = new ConsumerClient(new ConsumerOptions("127.0.0.1", feeder.port(), null, null,
                        "slow", prefetch, 64 * 1024, TIMEOUT), LoggerFactory.getLogger("consumer"), ConsumerReport.NONE);
                AtomicInteger handled = new AtomicInteger();
                Thread t = consume(client, handled, 5 * TIMEOUT.toMillis(), "item-7");
                FeederUnderTest.await("40 outcomes", () -> feeder.source.outcomes.size() == 40);
                client.stop();
                t.join(FeederUnderTest.LIMIT.toMillis());
                assertThat(t.isAlive()).isFalse();
                // Without redelivery (1 attempt) a dropped connection would have failed items: all are ok, once.
                assertThat(feeder.source.outcomes.values()).as("prefetch %d", prefetch)
                        .allSatisfy(o -> assertThat(o).containsExactly("ok"));
                assertThat(handled.get()).isEqualTo(40);
                assertThat(feeder.server.counts()).containsExactly(40, 0, 40);
            }
        }
    }

    /** Idle, the handler's thread blocks on the socket itself: a stop must still end the consumer at once. */
    @Test
    void aStopWhileTheConsumerWaitsForItemsEndsItPromptly() throws Exception {
        try (FeederUnderTest feeder = new FeederUnderTest(3, 1, Duration.ofSeconds(10), Clock.systemUTC())) {
            ConsumerClient client = new ConsumerClient(new ConsumerOptions("127.0.0.1", feeder.port(), null, null,
                    "idle", 1, 64 * 1024, Duration.ofSeconds(10)), LoggerFactory.getLogger("consumer"),
                    ConsumerReport.NONE);
            AtomicInteger handled = new AtomicInteger();
            Thread t = consume(client, handled, 0, "none");
            FeederUnderTest.await("3 outcomes", () -> feeder.source.outcomes.size() == 3);
            client.stop();
            t.join(FeederUnderTest.LIMIT.toMillis());
            assertThat(t.isAlive()).as("consumer ended").isFalse();
            assertThat(feeder.source.outcomes.values()).allSatisfy(o -> assertThat(o).containsExactly("ok"));
        }
    }
}
