package org.distarch.queue.feeder;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.distarch.queue.consumer.ConsumerClient;
import org.distarch.queue.consumer.ConsumerOptions;
import org.distarch.queue.consumer.ConsumerReport;
import org.distarch.queue.protocol.FrameReader;
import org.distarch.queue.protocol.ProtocolException;
import org.distarch.queue.protocol.QueueCodec;
import org.distarch.queue.protocol.QueueFrame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A live feeder on a real loopback socket, against raw clients that break the protocol in every documented
 * way, while a real consumer works beside them: each bad client is disconnected (with an {@code error}
 * frame where one can be sent), the good consumer keeps getting items, and every item handed out ends in
 * exactly one outcome.
 */
class LiveFeederTest {

    private static final Duration LIMIT = Duration.ofSeconds(30);
    private static final byte[] SECRET = "s3cret".getBytes(StandardCharsets.UTF_8);
    private static final int MAX_FRAME = 64 * 1024;

    /** An in-memory source that records every outcome per item id. */
    static class Source implements ItemSource<String> {
        final ConcurrentLinkedQueue<String> items = new ConcurrentLinkedQueue<>();
        final Map<String, List<String>> outcomes = new ConcurrentHashMap<>();

        /**
         * One atomic step: a test that sees the item's key must see its outcome too (computeIfAbsent then add
         * showed the key with an empty list for a moment, and a test read it then).
         */
        void record(String item, String outcome) {
            outcomes.compute(item, (k, list) -> {
                List<String> next = list == null ? new java.util.concurrent.CopyOnWriteArrayList<>() : list;
                next.add(outcome);
                return next;
            });
        }

        Source(int count) {
            for (int i = 1; i <= count; i++) {
                items.add("item-" + i);
            }
        }

        @Override
        public boolean empty() {
            return items.isEmpty();
        }

        @Override
        public String next() {
            return items.poll();
        }

        @Override
        public String idOf(String item) {
            return item;
        }

        @Override
        public void success(String item) {
            record(item, "ok");
        }

        @Override
        public void error(String item, String error) {
            record(item, "error " + error);
        }
    }

    private FeederServer<String> server;
    private Thread loop;
    private final List<ConsumerClient> consumers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();

    private Source start(int items, byte[] secret, int maxAttempts) throws Exception {
        return start(items, secret, maxAttempts, FeederReport.NONE);
    }

    private Source start(int items, byte[] secret, int maxAttempts, FeederReport report) throws Exception {
        Source source = new Source(items);
        FeederOptions options = new FeederOptions("127.0.0.1", 0, null, secret, maxAttempts, Duration.ofMillis(20),
                MAX_FRAME, Duration.ofSeconds(2), Duration.ofSeconds(2));
        server = new FeederServer<>(source, options, new ObjectMapper(), LoggerFactory.getLogger("feeder"), report);
        server.bind();
        loop = new Thread(() -> {
            try {
                server.run();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, "feeder-under-test");
        loop.start();
        return source;
    }

    /** A real consumer, handling items on its own thread until the test ends. */
    private AtomicInteger goodConsumer(byte[] secret, int prefetch) {
        AtomicInteger handled = new AtomicInteger();
        ConsumerClient client = new ConsumerClient(new ConsumerOptions("127.0.0.1", server.tcpPort(), null, secret,
                "good", prefetch, MAX_FRAME, Duration.ofSeconds(2)), LoggerFactory.getLogger("good"), ConsumerReport.NONE);
        Thread t = new Thread(() -> {
            try {
                client.run((id, attempt, payload) -> {
                    Thread.sleep(1);
                    handled.incrementAndGet();
                });
            } catch (InterruptedException ignored) {
                // test over
            }
        }, "good-consumer");
        t.start();
        consumers.add(client);
        threads.add(t);
        return handled;
    }

    @AfterEach
    void tearDown() throws Exception {
        consumers.forEach(ConsumerClient::stop);
        for (Thread t : threads) {
            t.join(LIMIT.toMillis());
        }
        if (server != null) {
            server.stop();
            loop.join(LIMIT.toMillis());
            assertThat(loop.isAlive()).as("feeder loop ended").isFalse();
            server.close();
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for %s", what).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    /** Every item of the source ended in exactly one outcome. */
    private static void assertExactlyOnce(Source source, int items) throws InterruptedException {
        await("all " + items + " outcomes", () -> source.outcomes.size() == items && source.items.isEmpty());
        assertThat(source.outcomes.values()).allMatch(l -> l.size() == 1);
    }

    // ---- a raw client ----------------------------------------------------------------------------------

    static final class Raw implements AutoCloseable {
        final Socket socket;
        final InputStream in;
        final OutputStream out;
        final FrameReader reader = new FrameReader(MAX_FRAME);
        final java.util.ArrayDeque<QueueFrame> pending = new java.util.ArrayDeque<>();

        Raw(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout((int) LIMIT.toMillis());
            in = socket.getInputStream();
            out = socket.getOutputStream();
        }

        QueueFrame next() throws IOException, ProtocolException {
            byte[] buffer = new byte[8192];
            while (pending.isEmpty()) {
                int n = in.read(buffer);
                if (n < 0) {
                    throw new EOFException();
                }
                pending.addAll(reader.feed(ByteBuffer.wrap(buffer, 0, n)));
            }
            return pending.poll();
        }

        QueueFrame.Hello hello() throws Exception {
            return (QueueFrame.Hello) next();
        }

        void send(QueueFrame frame) throws IOException {
            out.write(QueueCodec.encode(frame));
            out.flush();
        }

        void sendRaw(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }

        /** Logs in properly with {@code secret}. */
        Raw login(byte[] secret) throws Exception {
            QueueFrame.Hello hello = hello();
            send(new QueueFrame.Auth(QueueCodec.PROTOCOL_VERSION, "raw", QueueCodec.proof(secret, hello.nonce())));
            assertThat(next()).isInstanceOf(QueueFrame.Welcome.class);
            return this;
        }

        /** Reads until the feeder closes; returns the error frame's reason, if one came. */
        String awaitClosed() throws Exception {
            String reason = null;
            try {
                while (true) {
                    QueueFrame f = next();
                    if (f instanceof QueueFrame.Error e) {
                        reason = e.reason();
                    }
                }
            } catch (EOFException | java.net.SocketException e) {
                return reason;
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the feeder did not close the connection");
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static byte[] header(int length) {
        return ByteBuffer.allocate(4).putInt(length).array();
    }

    private static byte[] frame(String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array();
    }

    // ---- the cases ---------------------------------------------------------------------------------------

    @Test
    void wrongSecretWrongVersionAndFramesBeforeAuthAreRefusedWhileTheGoodConsumerWorks() throws Exception {
        Source source = start(200, SECRET, 1);
        AtomicInteger handled = goodConsumer(SECRET, 1);
        try (Raw raw = new Raw(server.tcpPort())) {
            QueueFrame.Hello hello = raw.hello();
            assertThat(hello.authRequired()).isTrue();
            raw.send(new QueueFrame.Auth(1, "intruder", QueueCodec.proof("guess".getBytes(), hello.nonce())));
            assertThat(raw.awaitClosed()).isEqualTo("authentication failed");
        }
        try (Raw raw = new Raw(server.tcpPort())) {
            QueueFrame.Hello hello = raw.hello();
            raw.send(new QueueFrame.Auth(2, "future", QueueCodec.proof(SECRET, hello.nonce())));
            assertThat(raw.awaitClosed()).contains("unsupported protocol version 2");
        }
        try (Raw raw = new Raw(server.tcpPort())) {
            raw.hello();
            raw.send(new QueueFrame.Ready(5));
            assertThat(raw.awaitClosed()).contains("expected auth first");
        }
        try (Raw raw = new Raw(server.tcpPort())) {
            raw.hello();
            raw.sendRaw(frame("{\"type\":\"item\",\"delivery\":1,\"itemId\":\"x\",\"attempt\":1,\"payload\":1}"));
            assertThat(raw.awaitClosed()).isNotNull();
        }
        assertExactlyOnce(source, 200);
        assertThat(handled.get()).isEqualTo(200);
        assertThat(source.outcomes.values()).allMatch(l -> l.equals(List.of("ok")));
    }

    @Test
    void theFeederTellsHowManyConsumersAreConnectedWhenTheNumberChangesAndNeverCountsARefusedOne() throws Exception {
        List<Integer> told = java.util.Collections.synchronizedList(new ArrayList<>());
        start(0, SECRET, 1, new FeederReport() {
            @Override
            public void itemHandled(String itemId, int attempt, long consumerId, String itemJson) {}

            @Override
            public void itemFailed(String itemId, int attempt, long consumerId, String error, String itemJson) {}

            @Override
            public void alive() {}

            @Override
            public void consumersConnected(int connected) {
                told.add(connected);
            }
        });
        await("none connected told at start", () -> told.equals(List.of(0)));
        try (Raw first = new Raw(server.tcpPort()).login(SECRET); Raw second = new Raw(server.tcpPort()).login(SECRET)) {
            await("two connected", () -> !told.isEmpty() && told.get(told.size() - 1) == 2);
            try (Raw intruder = new Raw(server.tcpPort())) {
                QueueFrame.Hello hello = intruder.hello();
                intruder.send(new QueueFrame.Auth(QueueCodec.PROTOCOL_VERSION, "intruder",
                        QueueCodec.proof("guess".getBytes(StandardCharsets.UTF_8), hello.nonce())));
                assertThat(intruder.awaitClosed()).isEqualTo("authentication failed");
            }
            first.close();
            await("one left", () -> told.get(told.size() - 1) == 1);
        }
        await("none left", () -> told.get(told.size() - 1) == 0);
        List<Integer> seen = List.copyOf(told);
        assertThat(seen).as("a refused client never counts").isSubsetOf(0, 1, 2);
        for (int i = 1; i < seen.size(); i++) {
            assertThat(seen.get(i)).as("only changes are told: " + seen).isNotEqualTo(seen.get(i - 1));
        }
    }

    @Test
    void malformedFramesOfEveryKindGetTheirSenderDisconnected() throws Exception {
        Source source = start(300, null, 1);
        AtomicInteger handled = goodConsumer(null, 2);
        List<byte[]> garbage = List.of(
                header(MAX_FRAME + 1),                         // too large: refused from the header alone
                header(Integer.MAX_VALUE),
                header(0),
                header(-5),
                frame("{\"type\":\"ready\",\"credits\":"),     // malformed JSON
                frame("{\"type\":\"teleport\"}"),              // unknown type
                frame("[1,2,3]"),                              // not an object
                frame("{\"type\":\"done\",\"delivery\":\"7\"}"), // wrong field type
                ByteBuffer.allocate(7).putInt(3).put(new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF}).array());
        for (byte[] bad : garbage) {
            try (Raw raw = new Raw(server.tcpPort())) {
                raw.login(new byte[0]);
                raw.sendRaw(bad);
                assertThat(raw.awaitClosed()).as("error frame for %s", java.util.HexFormat.of().formatHex(bad, 0,
                        Math.min(bad.length, 16))).isNotBlank();
            }
        }
        assertExactlyOnce(source, 300);
        assertThat(handled.get()).isEqualTo(300);
    }

    @Test
    void aClientStalledMidFrameOrSilentIsDroppedAfterTheNetworkTimeout() throws Exception {
        start(10, null, 1);
        try (Raw silent = new Raw(server.tcpPort()); Raw stalled = new Raw(server.tcpPort())) {
            silent.hello(); // and never answers
            stalled.login(new byte[0]);
            stalled.sendRaw(new byte[] {0, 0}); // half a header, then nothing
            assertThat(silent.awaitClosed()).contains("no handshake within");
            assertThat(stalled.awaitClosed()).contains("stalled in the middle of a frame");
        }
    }

    /**
     * A consumer that says leave with items in hand gets nothing more, credit or not, and then the stop frame,
     * after every item sent to it: its answers still count, and its close loses nothing.
     */
    @Test
    void aConsumerThatLeavesGetsNothingMoreThenStopAndItsAnswersCount() throws Exception {
        Source source = start(20, null, 1);
        try (Raw raw = new Raw(server.tcpPort())) {
            assertThat(raw.hello().leave()).as("our feeder offers leave").isTrue();
            raw.send(new QueueFrame.Auth(QueueCodec.PROTOCOL_VERSION, "raw", ""));
            assertThat(raw.next()).isInstanceOf(QueueFrame.Welcome.class);
            raw.send(new QueueFrame.Ready(3));
            List<QueueFrame.Item> held = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                held.add((QueueFrame.Item) raw.next());
            }
            raw.send(new QueueFrame.Leave());
            raw.send(new QueueFrame.Ready(5)); // too late: it is leaving
            QueueFrame next = raw.next();
            while (next instanceof QueueFrame.Ping) {
                next = raw.next();
            }
            assertThat(next).isEqualTo(new QueueFrame.Stop("you are leaving"));
            for (QueueFrame.Item item : held) {
                raw.send(new QueueFrame.Done(item.delivery()));
            }
            await("3 outcomes", () -> source.outcomes.size() == 3);
        }
        await("the consumer gone", () -> server.connectedConsumers() == 0);
        assertThat(source.outcomes).hasSize(3).allSatisfy((id, o) -> assertThat(o).containsExactly("ok"));
        assertThat(server.counts()).as("succeeded, failed, handed out").containsExactly(3, 0, 3);
    }

    @Test
    void anAnswerForADeliveryNotHeldIsRefusedButAnAnswerBeforeGarbageStillCounts() throws Exception {
        Source source = start(2, null, 3);
        try (Raw raw = new Raw(server.tcpPort())) {
            raw.login(new byte[0]);
            raw.send(new QueueFrame.Ready(1));
            QueueFrame.Item item = (QueueFrame.Item) raw.next();
            byte[] done = QueueCodec.encode(new QueueFrame.Done(item.delivery()));
            byte[] junk = frame("not json");
            raw.sendRaw(java.nio.ByteBuffer.allocate(done.length + junk.length).put(done).put(junk).array());
            raw.awaitClosed();
            await("the done applied", () -> source.outcomes.containsKey(item.itemId()));
            assertThat(source.outcomes.get(item.itemId())).containsExactly("ok"); // not redelivered
        }
        try (Raw raw = new Raw(server.tcpPort())) {
            raw.login(new byte[0]);
            raw.send(new QueueFrame.Done(424242));
            assertThat(raw.awaitClosed()).contains("does not hold");
        }
    }

    @Test
    void creditsBoundWhatAConsumerReceives() throws Exception {
        start(10, null, 1);
        try (Raw raw = new Raw(server.tcpPort())) {
            raw.login(new byte[0]);
            raw.send(new QueueFrame.Ready(3));
            List<QueueFrame.Item> got = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                got.add((QueueFrame.Item) nextNonPing(raw));
            }
            // Nothing but pings comes for a while (it pongs, so it stays connected) until it answers...
            long until = System.nanoTime() + Duration.ofMillis(1500).toNanos();
            raw.socket.setSoTimeout(200);
            while (System.nanoTime() < until) {
                try {
                    QueueFrame f = raw.next();
                    assertThat(f).as("only pings without credit").isInstanceOf(QueueFrame.Ping.class);
                    raw.send(new QueueFrame.Pong());
                } catch (SocketTimeoutException quiet) {
                    // nothing came: as it should
                }
            }
            // ... then one answer and one more credit bring exactly one more item.
            raw.socket.setSoTimeout((int) LIMIT.toMillis());
            raw.send(new QueueFrame.Done(got.get(0).delivery()));
            raw.send(new QueueFrame.Ready(1));
            QueueFrame.Item fourth = (QueueFrame.Item) nextNonPing(raw);
            assertThat(fourth.itemId()).isEqualTo("item-4");
            assertThat(got).extracting(QueueFrame.Item::itemId).containsExactly("item-1", "item-2", "item-3");
        }
    }

    private static QueueFrame nextNonPing(Raw raw) throws Exception {
        QueueFrame f;
        do {
            f = raw.next();
        } while (f instanceof QueueFrame.Ping);
        return f;
    }

    @Test
    void aConsumerThatResetsTheConnectionLosesItsItemWithAPlainReason() throws Exception {
        Source source = start(1, null, 1);
        try (Raw raw = new Raw(server.tcpPort())) {
            raw.login(new byte[0]);
            raw.send(new QueueFrame.Ready(1));
            nextNonPing(raw);
            raw.socket.setSoLinger(true, 0); // the close below resets the connection
        }
        await("the item failed", () -> source.outcomes.containsKey("item-1"));
        assertThat(source.outcomes.get("item-1")).singleElement().asString()
                .startsWith("error lost with consumer 1: connection closed by the other end (Connection reset");
    }

    @Test
    void anItemLostWithItsConsumerFailsWithoutRedeliveryAndIsHandedOnWithIt() throws Exception {
        Source source = start(1, null, 1);
        try (Raw raw = new Raw(server.tcpPort())) {
            raw.login(new byte[0]);
            raw.send(new QueueFrame.Ready(1));
            nextNonPing(raw);
        } // closed while holding the item
        await("the item failed", () -> source.outcomes.containsKey("item-1"));
        assertThat(source.outcomes.get("item-1")).singleElement().asString().startsWith("error lost with consumer 1");
        tearDown();
        server = null;

        Source again = start(1, null, 3);
        try (Raw raw = new Raw(server.tcpPort())) {
            raw.login(new byte[0]);
            raw.send(new QueueFrame.Ready(1));
            QueueFrame.Item first = (QueueFrame.Item) nextNonPing(raw);
            assertThat(first.attempt()).isEqualTo(1);
        }
        AtomicInteger handled = goodConsumer(null, 1);
        await("redelivered and handled", () -> again.outcomes.containsKey("item-1"));
        assertThat(again.outcomes.get("item-1")).containsExactly("ok");
        assertThat(handled.get()).isEqualTo(1);
    }

    @Test
    void aClientThatNeverReadsCannotStallTheFeeder() throws Exception {
        Source source = start(2000, null, 3);
        try (Raw hog = new Raw(server.tcpPort())) {
            hog.login(new byte[0]);
            hog.socket.setReceiveBufferSize(1024);
            hog.send(new QueueFrame.Ready(1_000_000)); // asks for everything, then never reads
            AtomicInteger handled = goodConsumer(null, 1);
            // The hog is dropped (silent, or too far behind) and what it held goes to the good consumer.
            assertExactlyOnce(source, 2000);
            assertThat(source.outcomes.values()).allMatch(l -> l.equals(List.of("ok")));
            assertThat(handled.get()).isEqualTo(2000);
        }
    }

    /** Hundreds of clients sending random bytes and mutated frames while a real consumer works through items. */
    @Test
    void fuzzedClientsNeverCrashTheFeederNorCostAnItem() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        int items = 2000;
        Source source = start(items, null, 5);
        AtomicInteger handled = goodConsumer(null, 4);
        byte[][] valid = {
            QueueCodec.encode(new QueueFrame.Auth(1, "fuzz", "")),
            QueueCodec.encode(new QueueFrame.Ready(2)),
            QueueCodec.encode(new QueueFrame.Done(1)),
            QueueCodec.encode(new QueueFrame.Failed(2, "x")),
            QueueCodec.encode(new QueueFrame.Pong()),
        };
        for (int i = 0; i < 250; i++) {
            try (Raw raw = new Raw(server.tcpPort())) {
                raw.socket.setSoLinger(true, 0); // some close with a reset
                java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
                int parts = 1 + random.nextInt(4);
                for (int p = 0; p < parts; p++) {
                    byte[] part = random.nextInt(3) == 0 ? new byte[random.nextInt(64)]
                            : valid[random.nextInt(valid.length)].clone();
                    if (part.length > 0 && random.nextBoolean()) {
                        part[random.nextInt(part.length)] ^= (byte) (1 << random.nextInt(8));
                    }
                    if (part.length > 4 && random.nextInt(4) == 0) {
                        part = java.util.Arrays.copyOf(part, random.nextInt(part.length));
                    }
                    if (random.nextInt(3) == 0) {
                        random.nextBytes(part);
                    }
                    bytes.writeBytes(part);
                }
                raw.sendRaw(bytes.toByteArray());
            } catch (IOException e) {
                // the feeder may close first: that is its right
            }
        }
        await("all items (seed " + seed + ")", () -> source.outcomes.size() == items);
        assertThat(source.outcomes.values()).as("seed %d", seed).allMatch(l -> l.size() == 1);
        assertThat(source.outcomes.values()).as("seed %d", seed)
                .allMatch(l -> l.get(0).equals("ok") || l.get(0).startsWith("error lost with consumer"));
        assertThat(handled.get()).isGreaterThan(0);
        assertThat(loop.isAlive()).isTrue();
    }
}
