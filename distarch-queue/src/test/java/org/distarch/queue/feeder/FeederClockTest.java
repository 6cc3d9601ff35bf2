package org.distarch.queue.feeder;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.distarch.queue.protocol.QueueFrame;
import org.junit.jupiter.api.Test;

/** The feeder's timers follow its clock: moving a clock, not waiting, makes a timeout happen. */
class FeederClockTest {

    /** A clock that moves only when told. */
    static final class MovableClock extends Clock {
        final AtomicLong millis = new AtomicLong(1_000_000);

        void advance(Duration d) {
            millis.addAndGet(d.toMillis());
        }

        @Override
        public long millis() {
            return millis.get();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    @Test
    void aClientThatNeverAuthenticatesIsDroppedOnceTheClockPassesTheHandshakeTimeout() throws Exception {
        MovableClock clock = new MovableClock();
        try (FeederUnderTest feeder = new FeederUnderTest(0, 1, Duration.ofMinutes(10), clock);
                LiveFeederTest.Raw client = new LiveFeederTest.Raw(feeder.port())) {
            client.hello();
            FeederUnderTest.await("the client accepted", () -> feeder.server.acceptedConnections() == 1);
            clock.advance(Duration.ofMinutes(10));
            feeder.server.itemsAvailable(); // wakes the loop now rather than at its next real-time tick
            assertThat(client.awaitClosed()).isEqualTo("no handshake within 600000 ms");
        }
    }

    /**
     * Regression (seen with a feeder stopped by SIGSTOP): a consumer's frame that arrived while the feeder's loop
     * was held up waited unread when the loop, back, judged the connection silent and dropped it, with an answer
     * in that frame lost and its item failed. Now what waits is read first. Here the loop is held up in the
     * application's callback for another consumer's answer, while the clock passes the network timeout.
     */
    @Test
    void whatAConsumerSentWhileTheLoopWasHeldUpIsReadBeforeItsSilenceIsJudged() throws Exception {
        MovableClock clock = new MovableClock();
        Duration timeout = Duration.ofSeconds(10);
        AtomicReference<Runnable> onSuccess = new AtomicReference<>();
        LiveFeederTest.Source source = new LiveFeederTest.Source(1) {
            @Override
            public void success(String item) {
                super.success(item);
                Runnable r = onSuccess.getAndSet(null);
                if (r != null) {
                    r.run();
                }
            }
        };
        try (FeederUnderTest feeder = new FeederUnderTest(source, 1, timeout, clock, null);
                LiveFeederTest.Raw quiet = new LiveFeederTest.Raw(feeder.port()).login(new byte[0]);
                LiveFeederTest.Raw busy = new LiveFeederTest.Raw(feeder.port()).login(new byte[0])) {
            busy.send(new QueueFrame.Ready(1));
            QueueFrame.Item item = (QueueFrame.Item) busy.next();
            onSuccess.set(() -> { // on the feeder's loop, as it takes busy's answer
                try {
                    quiet.send(new QueueFrame.Pong());
                    Thread.sleep(200); // in the feeder's socket now, unread
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                clock.advance(timeout.plusSeconds(1));
            });
            busy.send(new QueueFrame.Done(item.delivery()));
            FeederUnderTest.await("busy dropped as silent", () -> feeder.server.connectedConsumers() < 2);
            assertThat(source.outcomes).containsEntry("item-1", List.of("ok"));
            assertThat(busy.awaitClosed()).startsWith("silent for");
            assertThat(feeder.server.connectedConsumers()).as("quiet, whose pong waited, stays").isEqualTo(1);
        }
    }
}
