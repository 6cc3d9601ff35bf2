package org.distarch.queue.feeder;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.distarch.worker.protocol.WorkerLine.ItemState;
import org.distarch.worker.protocol.WorkerLine.QueueItem;
import org.distarch.worker.protocol.WorkerLineCodec;
import org.slf4j.LoggerFactory;

/** A real feeder on a loopback port, on its own thread, printing its outcome lines into {@link #lines}. */
final class FeederUnderTest implements AutoCloseable {

    static final Duration LIMIT = Duration.ofSeconds(30);

    final LiveFeederTest.Source source;
    final FeederServer<String> server;
    final List<String> lines = new CopyOnWriteArrayList<>();
    private final Thread loop;

    FeederUnderTest(int items, int maxAttempts, Duration networkTimeout, Clock clock) throws IOException {
        this(items, maxAttempts, networkTimeout, clock, null);
    }

    /** The same, listening on the UNIX socket {@code socketPath} as well (null: TCP only). */
    FeederUnderTest(int items, int maxAttempts, Duration networkTimeout, Clock clock, String socketPath)
            throws IOException {
        this(new LiveFeederTest.Source(items), maxAttempts, networkTimeout, clock, socketPath);
    }

    FeederUnderTest(LiveFeederTest.Source source, int maxAttempts, Duration networkTimeout, Clock clock,
            String socketPath) throws IOException {
        this.source = source;
        FeederOptions options = new FeederOptions("127.0.0.1", 0, socketPath, null, maxAttempts, Duration.ofMillis(20),
                64 * 1024, networkTimeout, Duration.ofSeconds(2));
        FeederReport report = new FeederReport() {
            @Override
            public void itemHandled(String itemId, int attempt, long consumerId, String itemJson) {
                lines.add(WorkerLineCodec.item(
                        new QueueItem(ItemState.HANDLED, itemId, attempt, null, consumerId, itemJson, false)));
            }

            @Override
            public void itemFailed(String itemId, int attempt, long consumerId, String error, String itemJson) {
                lines.add(WorkerLineCodec.item(
                        new QueueItem(ItemState.FAILED, itemId, attempt, error, consumerId, itemJson, false)));
            }

            @Override
            public void alive() {}
        };
        server = new FeederServer<>(source, options, new ObjectMapper(), LoggerFactory.getLogger("feeder"), report,
                clock);
        server.bind();
        loop = new Thread(() -> {
            try {
                server.run();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, "feeder-under-test");
        loop.start();
    }

    int port() {
        return server.tcpPort();
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    @Override
    public void close() throws InterruptedException {
        server.stop();
        loop.join(LIMIT.toMillis());
        if (loop.isAlive()) {
            throw new AssertionError("the feeder loop did not end");
        }
        server.close();
    }
}
