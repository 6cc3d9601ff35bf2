package org.distarch.queue.feeder;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.distarch.queue.consumer.ConsumerClient;
import org.distarch.queue.consumer.ConsumerOptions;
import org.distarch.queue.consumer.ConsumerReport;
import org.distarch.queue.protocol.FrameReader;
import org.distarch.queue.protocol.QueueFrame;
import org.distarch.worker.protocol.WorkerLine.ItemState;
import org.distarch.worker.protocol.WorkerLineCodec;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The item lines the master turns into events, from a real feeder and a real consumer whose connection is cut
 * after its handler finished but before its {@code done} reached the feeder. Regression: the consumer used
 * to print "handled" before sending {@code done}, so events said handled while the feeder redelivered or
 * failed the item.
 */
class OutcomeLinesLiveTest {

    /**
     * A relay between consumer and feeder that swallows the first {@code done} it sees and cuts that connection:
     * the handler has finished, the answer never arrives.
     */
    static final class DoneCutter implements AutoCloseable {
        final ServerSocket listening = new ServerSocket(0);
        final AtomicBoolean cut = new AtomicBoolean();
        final List<Socket> sockets = new CopyOnWriteArrayList<>();

        DoneCutter(int feederPort) throws IOException {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        Socket consumer = listening.accept();
                        Socket feeder = new Socket("127.0.0.1", feederPort);
                        sockets.add(consumer);
                        sockets.add(feeder);
                        pump(feeder, consumer, false);
                        pump(consumer, feeder, true);
                    }
                } catch (IOException closed) {
                    // test over
                }
            }, "done-cutter");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return listening.getLocalPort();
        }

        private void pump(Socket from, Socket to, boolean watchForDone) {
            Thread t = new Thread(() -> {
                FrameReader frames = new FrameReader();
                byte[] buffer = new byte[8192];
                try (from; to) {
                    InputStream in = from.getInputStream();
                    OutputStream out = to.getOutputStream();
                    int n;
                    while ((n = in.read(buffer)) > 0) {
                        if (watchForDone) {
                            for (QueueFrame f : frames.feed(ByteBuffer.wrap(buffer, 0, n))) {
                                if (f instanceof QueueFrame.Done && cut.compareAndSet(false, true)) {
                                    return; // closes both ends: the done is never forwarded
                                }
                            }
                        }
                        out.write(buffer, 0, n);
                        out.flush();
                    }
                } catch (Exception ended) {
                    // one side closed
                }
            }, "done-cutter-pump");
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void close() throws IOException {
            listening.close();
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    /** Runs one real consumer through the cutter until the source has every outcome; returns its received lines. */
    private static List<String> run(FeederUnderTest feeder, int items) throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        AtomicInteger handlerRuns = new AtomicInteger();
        try (DoneCutter cutter = new DoneCutter(feeder.port())) {
            ConsumerClient consumer = new ConsumerClient(new ConsumerOptions("127.0.0.1", cutter.port(), null, null,
                    "cut", 1, 64 * 1024, Duration.ofSeconds(5), 42), LoggerFactory.getLogger("consumer"),
                    new ConsumerReport() {
                        @Override
                        public void received(String itemId, int attempt, String itemJson) {
                            received.add(WorkerLineCodec.item(ItemState.RECEIVED, itemId, attempt, null));
                        }

                        @Override
                        public void idle() {}
                    });
            Thread t = new Thread(() -> {
                try {
                    consumer.run((id, attempt, payload) -> handlerRuns.incrementAndGet());
                } catch (InterruptedException ignored) {
                    // test over
                }
            }, "consumer");
            t.start();
            try {
                FeederUnderTest.await("every outcome", () -> feeder.source.outcomes.size() == items);
            } finally {
                consumer.stop();
                t.join(FeederUnderTest.LIMIT.toMillis());
            }
            assertThat(cutter.cut).as("a done was cut").isTrue();
        }
        assertThat(handlerRuns.get()).isGreaterThanOrEqualTo(items);
        return received;
    }

    @Test
    void consumerNeverReportsHandledForAnItemTheFeederRedelivers() throws Exception {
        try (FeederUnderTest feeder = new FeederUnderTest(1, 2, Duration.ofSeconds(5), MonotonicClock.INSTANCE)) {
            List<String> received = run(feeder, 1);
            // The consumer ran the handler twice and said "received" twice; the one outcome is the feeder's.
            assertThat(received).containsExactly(
                    "@@distarch item {\"state\":\"received\",\"itemId\":\"item-1\",\"attempt\":1}",
                    "@@distarch item {\"state\":\"received\",\"itemId\":\"item-1\",\"attempt\":2}");
            assertThat(feeder.lines).containsExactly("@@distarch item {\"state\":\"handled\",\"itemId\":\"item-1\","
                    + "\"attempt\":2,\"consumer\":42,\"item\":\"\\\"item-1\\\"\"}");
            assertThat(feeder.source.outcomes.get("item-1")).containsExactly("ok");
        }
    }

    @Test
    void consumerNeverReportsHandledForAnItemTheFeederFails() throws Exception {
        try (FeederUnderTest feeder = new FeederUnderTest(1, 1, Duration.ofSeconds(5), MonotonicClock.INSTANCE)) {
            List<String> received = run(feeder, 1);
            assertThat(received).hasSize(1);
            assertThat(feeder.lines).singleElement().satisfies(l -> {
                assertThat(l).startsWith("@@distarch item {\"state\":\"failed\",\"itemId\":\"item-1\",\"attempt\":1,"
                        + "\"error\":\"lost with consumer 1: connection closed\",\"consumer\":42");
                assertThat(l).doesNotContain("handled");
            });
            assertThat(feeder.source.outcomes.get("item-1")).singleElement()
                    .satisfies(o -> assertThat(o).startsWith("error lost with consumer 1"));
        }
    }
}
