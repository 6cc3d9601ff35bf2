package org.distarch.queue.feeder;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
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
}
