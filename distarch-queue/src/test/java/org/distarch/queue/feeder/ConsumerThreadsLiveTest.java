package org.distarch.queue.feeder;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.distarch.queue.consumer.ConsumerClient;
import org.distarch.queue.consumer.ConsumerOptions;
import org.distarch.queue.consumer.ConsumerReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;

/**
 * A real consumer against a real feeder, about who reads the consumer's socket: the handler's own thread while
 * it is idle (no hand-over per item), a keeper while a handler runs long. Regression guards for that split, over
 * TCP and over the UNIX socket a consumer on the feeder's machine uses.
 */
class ConsumerThreadsLiveTest {

    @TempDir
    Path dir;

    enum Transport { TCP, UNIX }

    /**
     * A feeder listening over {@code transport}, and the consumer's options for it. Over UNIX the TCP port given
     * is one nothing listens on, so items can only come over the socket.
     */
    private FeederUnderTest feeder(Transport transport, int items, Duration timeout) throws IOException {
        return new FeederUnderTest(items, 1, timeout, Clock.systemUTC(),
                transport == Transport.UNIX ? dir.resolve("q.sock").toString() : null);
    }

    private ConsumerOptions options(Transport transport, FeederUnderTest feeder, String name, int prefetch,
            Duration timeout) {
        return transport == Transport.UNIX
                ? new ConsumerOptions("127.0.0.1", 1, dir.resolve("q.sock").toString(), null, name, prefetch,
                        64 * 1024, timeout)
                : new ConsumerOptions("127.0.0.1", feeder.port(), null, null, name, prefetch, 64 * 1024, timeout);
    }

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
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aHandlerFarLongerThanTheNetworkTimeoutKeepsItsConnectionAndEveryItemSucceedsOnce(Transport transport)
            throws Exception {
        for (int prefetch : List.of(1, 8)) {
            try (FeederUnderTest feeder = feeder(transport, 40, TIMEOUT)) {
                ConsumerClient client = new ConsumerClient(options(transport, feeder, "slow", prefetch, TIMEOUT),
                        LoggerFactory.getLogger("consumer"), ConsumerReport.NONE);
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
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aStopWhileTheConsumerWaitsForItemsEndsItPromptly(Transport transport) throws Exception {
        try (FeederUnderTest feeder = feeder(transport, 3, Duration.ofSeconds(10))) {
            ConsumerClient client = new ConsumerClient(options(transport, feeder, "idle", 1, Duration.ofSeconds(10)),
                    LoggerFactory.getLogger("consumer"), ConsumerReport.NONE);
            AtomicInteger handled = new AtomicInteger();
            Thread t = consume(client, handled, 0, "none");
            FeederUnderTest.await("3 outcomes", () -> feeder.source.outcomes.size() == 3);
            client.stop();
            t.join(FeederUnderTest.LIMIT.toMillis());
            assertThat(t.isAlive()).as("consumer ended").isFalse();
            assertThat(feeder.source.outcomes.values()).allSatisfy(o -> assertThat(o).containsExactly("ok"));
        }
    }

    /**
     * A consumer stopped in the middle of a stream, a window of items on their way to it: it says leave, handles
     * what was already sent and closes once the feeder's stop says nothing more comes. Without redelivery (one
     * attempt) an item lost in flight would fail: every item handed out succeeds.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aConsumerStoppedMidStreamLosesNothingInFlight(Transport transport) throws Exception {
        try (FeederUnderTest feeder = feeder(transport, 100_000, Duration.ofSeconds(10))) {
            ConsumerClient client = new ConsumerClient(options(transport, feeder, "busy", 32, Duration.ofSeconds(10)),
                    LoggerFactory.getLogger("consumer"), ConsumerReport.NONE);
            AtomicInteger handled = new AtomicInteger();
            Thread t = consume(client, handled, 0, "none");
            FeederUnderTest.await("a stream under way", () -> handled.get() >= 2_000);
            client.stop();
            t.join(FeederUnderTest.LIMIT.toMillis());
            assertThat(t.isAlive()).as("consumer ended").isFalse();
            FeederUnderTest.await("the consumer gone", () -> feeder.server.connectedConsumers() == 0);
            long[] counts = feeder.server.counts();
            assertThat(counts[1]).as("failed").isZero();
            assertThat(counts[0]).as("succeeded: every one handed out").isEqualTo(counts[2]).isEqualTo(handled.get());
        }
    }

    /**
     * Regression: over the UNIX socket a consumer waited forever for a feeder gone silent (stopped, hung), where
     * over TCP it counts as gone after the network timeout. A peer that accepts and never says a word: the
     * consumer gives up on it after the timeout and connects again.
     */
    @Test
    void aConsumerOnTheUnixSocketGivesUpOnASilentFeederAfterTheNetworkTimeout() throws Exception {
        Path socket = dir.resolve("silent.sock");
        try (ServerSocketChannel silent = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            silent.bind(UnixDomainSocketAddress.of(socket));
            ConsumerClient client = new ConsumerClient(new ConsumerOptions("127.0.0.1", 1, socket.toString(), null,
                    "patient", 1, 64 * 1024, TIMEOUT), LoggerFactory.getLogger("consumer"), ConsumerReport.NONE);
            Thread t = consume(client, new AtomicInteger(), 0, "none");
            List<SocketChannel> accepted = new ArrayList<>();
            try {
                SocketChannel first = silent.accept();
                accepted.add(first);
                long acceptedAt = System.nanoTime();
                CompletableFuture<Long> closed = CompletableFuture.supplyAsync(() -> {
                    ByteBuffer b = ByteBuffer.allocate(4096);
                    try {
                        while (first.read(b) >= 0) { // the consumer's hello, then its close
                            b.clear();
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    return (System.nanoTime() - acceptedAt) / 1_000_000;
                });
                assertThat(closed.get(FeederUnderTest.LIMIT.toMillis(), TimeUnit.MILLISECONDS))
                        .as("closed after the network timeout, not before")
                        .isGreaterThanOrEqualTo(TIMEOUT.toMillis() - 50);
                accepted.add(silent.accept()); // and it tries again
            } finally {
                client.stop();
                t.join(FeederUnderTest.LIMIT.toMillis());
                for (SocketChannel c : accepted) {
                    c.close();
                }
            }
            assertThat(t.isAlive()).as("consumer ended").isFalse();
        }
    }
}
