package org.distarch.queue.feeder;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.distarch.queue.consumer.ConsumerClient;
import org.distarch.queue.consumer.ConsumerOptions;
import org.distarch.queue.consumer.ConsumerReport;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Regression: unauthenticated clients could exhaust the feeder's memory (300 connections each sending a
 * 1 MiB frame header, then the body slowly, and holding, took a feeder from 77 MiB to 630 MiB). Now a
 * stranger may send only a small handshake frame, and only so many strangers are admitted at once.
 */
class StrangerFloodLiveTest {

    private static final int FLOODERS = 300;

    @Test
    void unauthenticatedClientsCannotExhaustTheFeedersMemory() throws Exception {
        int items = 20;
        List<Socket> flood = new ArrayList<>();
        // Strangers stay in the handshake for the whole test: only the cap and the frame limit protect us.
        try (FeederUnderTest feeder = new FeederUnderTest(items, 1, Duration.ofSeconds(60), MonotonicClock.INSTANCE)) {
            CountDownLatch floodInPlace = new CountDownLatch(1);
            AtomicInteger handled = new AtomicInteger();
            ConsumerClient consumer = new ConsumerClient(new ConsumerOptions("127.0.0.1", feeder.port(), null, null,
                    "legit", 1, 64 * 1024, Duration.ofSeconds(60)), LoggerFactory.getLogger("legit"),
                    ConsumerReport.NONE);
            Thread t = new Thread(() -> {
                try {
                    consumer.run((id, attempt, payload) -> {
                        floodInPlace.await(FeederUnderTest.LIMIT.toMillis(), TimeUnit.MILLISECONDS);
                        handled.incrementAndGet();
                    });
                } catch (InterruptedException ignored) {
                    // test over
                }
            }, "legit-consumer");
            t.start();
            try {
                FeederUnderTest.await("the legitimate consumer", () -> feeder.server.connectedConsumers() == 1);
                byte[] bodyPart = new byte[64 * 1024];
                for (int i = 0; i < FLOODERS; i++) {
                    Socket s = new Socket("127.0.0.1", feeder.port());
                    flood.add(s);
                    try {
                        if (i % 2 == 0) {
                            // A 1 MiB frame announced, and as much of it as the socket takes at once.
                            s.getOutputStream().write(ByteBuffer.allocate(4).putInt(1 << 20).array());
                            s.getOutputStream().write(bodyPart);
                        } else {
                            // Just under the handshake limit, never finished.
                            s.getOutputStream().write(ByteBuffer.allocate(4).putInt(4000).array());
                            s.getOutputStream().write(new byte[3000]);
                        }
                        s.getOutputStream().flush();
                    } catch (java.io.IOException refused) {
                        // the feeder already hung up on this one: what it should do
                    }
                }
                FeederUnderTest.await("every flooder accepted", () -> feeder.server.acceptedConnections() >= FLOODERS + 1);
                floodInPlace.countDown();
                FeederUnderTest.await("every item handled", () -> feeder.source.outcomes.size() == items);
            } finally {
                floodInPlace.countDown();
                consumer.stop();
                t.join(FeederUnderTest.LIMIT.toMillis());
            }
            assertThat(handled.get()).isEqualTo(items);
            assertThat(feeder.source.outcomes.values()).allMatch(o -> o.equals(List.of("ok")));
            // At most 64 strangers, each held to a 4 KiB frame, plus the consumer's small frames.
            long bound = (HandshakeAdmission.MAX_UNAUTHENTICATED + 1L)
                    * (FeederConnection.HANDSHAKE_MAX_FRAME + 4 + 64) + 16 * 1024;
            long peak = feeder.server.frameMemory()[1];
            assertThat(peak).as("peak bytes held for partial frames").isLessThan(bound)
                    .isGreaterThan(32L * 3000); // the strangers admitted did cost something: the count is live
        } finally {
            for (Socket s : flood) {
                s.close();
            }
        }
    }
}
