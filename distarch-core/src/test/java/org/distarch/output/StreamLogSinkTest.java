package org.distarch.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.distarch.worker.protocol.LogLevel;
import org.junit.jupiter.api.Test;

/** The master log's writer: batches taken whole, written in order, and a flood held back rather than dropped. */
class StreamLogSinkTest {

    private static LogRecord line(LogSource source, String text) {
        return new LogRecord(System.currentTimeMillis(), LogLevel.INFO, source, text, null, "stdout");
    }

    private static LogSource process(int id) {
        return new LogSource("G", "localhost", "w/" + id + "/" + id, id, id);
    }

    /** A thread-safe copy of everything written. */
    private static final class Collected extends OutputStream {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) {
            bytes.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            bytes.write(b, off, len);
        }

        synchronized List<String> lines() {
            return List.of(bytes.toString(StandardCharsets.UTF_8).split("\n"));
        }
    }

    /** A stream that takes nothing until {@code open} is counted down, then passes everything to {@code to}. */
    private static final class Gate extends OutputStream {
        private final CountDownLatch open;
        private final Collected to;

        Gate(CountDownLatch open, Collected to) {
            this.open = open;
            this.to = to;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            try {
                open.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            to.write(b, off, len);
        }
    }

    /**
     * Four producers flood at once, with the master's own lines in between: every line arrives once, and each
     * producer's lines in the order it wrote them, however the writer cut the flood into batches.
     */
    @Test
    void linesOfSeveralFloodingProducersAllArriveEachInItsOrder() throws Exception {
        Collected out = new Collected();
        int producers = 4;
        int each = 50_000;
        try (StreamLogSink sink = new StreamLogSink(out, LogFormat.TEXT)) {
            List<Thread> threads = new ArrayList<>();
            for (int p = 1; p <= producers; p++) {
                LogSource source = process(p);
                Thread t = new Thread(() -> {
                    for (int i = 0; i < each; i++) {
                        sink.output(line(source, "n" + i));
                        if (i % 5000 == 0) {
                            sink.offer(new LogRecord(System.currentTimeMillis(), LogLevel.INFO, source, "marker " + i,
                                    null));
                        }
                    }
                });
                threads.add(t);
                t.start();
            }
            for (Thread t : threads) {
                t.join(TimeUnit.MINUTES.toMillis(2));
            }
            sink.flush();
        }
        int[] next = new int[producers + 1];
        int[] markers = new int[producers + 1];
        for (String l : out.lines()) {
            int p = l.charAt(l.indexOf("[w/") + 3) - '0';
            String text = l.substring(l.lastIndexOf("] ") + 2);
            if (text.startsWith("marker ")) {
                // written right after line i: the producer's earlier lines are all before it
                assertThat(Integer.parseInt(text.substring(7))).isEqualTo(next[p] - 1);
                markers[p]++;
            } else {
                assertThat(text).as("producer %d", p).isEqualTo("n" + next[p]);
                next[p]++;
            }
        }
        for (int p = 1; p <= producers; p++) {
            assertThat(next[p]).isEqualTo(each);
            assertThat(markers[p]).isEqualTo(each / 5000);
        }
    }

    /**
     * A stream that does not take anything: a flooding producer ends up waiting (its worker's pipe would fill),
     * the master's own non-blocking lines still return, and once the stream takes bytes again every line is
     * written, in order, none dropped.
     */
    @Test
    void aStuckStreamHoldsTheProducerBackAndLosesNothing() throws Exception {
        CountDownLatch open = new CountDownLatch(1);
        Collected collected = new Collected();
        OutputStream gate = new Gate(open, collected);
        int total = 200_000;
        try (StreamLogSink sink = new StreamLogSink(gate, LogFormat.TEXT)) {
            LogSource source = process(1);
            Thread producer = new Thread(() -> {
                for (int i = 0; i < total; i++) {
                    sink.output(line(source, "n" + i));
                }
            });
            producer.start();
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
            while (producer.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(producer.getState()).as("the producer waits for the stuck stream").isEqualTo(Thread.State.WAITING);
            sink.offer(new LogRecord(System.currentTimeMillis(), LogLevel.WARN, null, "the master's own line", null));
            open.countDown();
            producer.join(TimeUnit.MINUTES.toMillis(1));
            assertThat(producer.isAlive()).isFalse();
            sink.flush();
            assertThat(sink.dropped()).isZero();
        }
        List<String> lines = collected.lines();
        assertThat(lines).hasSize(total + 1);
        int next = 0;
        for (String l : lines) {
            if (l.endsWith("the master's own line")) {
                continue;
            }
            assertThat(l).endsWith("] n" + next);
            next++;
        }
        assertThat(next).isEqualTo(total);
    }

    /**
     * The lines of one read go over as one batch ({@link LogSink#output(List)}): a stuck stream holds a producer
     * of batches back as it holds one of single lines, and once it takes bytes again every line of both is
     * written once, each producer's in its order, none dropped.
     */
    @Test
    void batchesAreHeldBackByAStuckStreamAndArriveWholeAndInOrder() throws Exception {
        CountDownLatch open = new CountDownLatch(1);
        Collected collected = new Collected();
        OutputStream gate = new Gate(open, collected);
        int batches = 100;
        int batchLines = 1_000;
        int singles = 50_000;
        try (StreamLogSink sink = new StreamLogSink(gate, LogFormat.TEXT)) {
            Thread batcher = new Thread(() -> {
                LogSource source = process(1);
                for (int b = 0; b < batches; b++) {
                    List<LogRecord> batch = new ArrayList<>();
                    for (int i = 0; i < batchLines; i++) {
                        batch.add(line(source, "n" + (b * batchLines + i)));
                    }
                    sink.output(batch);
                }
            });
            Thread single = new Thread(() -> {
                LogSource source = process(2);
                for (int i = 0; i < singles; i++) {
                    sink.output(line(source, "n" + i));
                }
            });
            batcher.start();
            single.start();
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
            while (batcher.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(batcher.getState()).as("the batches wait for the stuck stream").isEqualTo(Thread.State.WAITING);
            open.countDown();
            batcher.join(TimeUnit.MINUTES.toMillis(1));
            single.join(TimeUnit.MINUTES.toMillis(1));
            assertThat(batcher.isAlive()).isFalse();
            assertThat(single.isAlive()).isFalse();
            sink.flush();
        }
        int[] next = new int[3];
        for (String l : collected.lines()) {
            int p = l.charAt(l.indexOf("[w/") + 3) - '0';
            assertThat(l).as("producer %d", p).endsWith("] n" + next[p]);
            next[p]++;
        }
        assertThat(next[1]).isEqualTo(batches * batchLines);
        assertThat(next[2]).isEqualTo(singles);
    }

    /** The text format byte for byte: a process's line, the master's, a multi-line message and its context. */
    @Test
    void theTextFormatIsTheDocumentedOne() {
        LogSource source = new LogSource("Gr\u00fcppe", "host-1", "php w.php/3/2", 3, 2);
        long at = java.time.LocalDateTime.of(2026, 12, 1, 9, 5, 7, 42_000_000).atZone(java.time.ZoneId.systemDefault())
                .toInstant().toEpochMilli();
        assertThat(LogFormat.TEXT.format(new LogRecord(at, LogLevel.INFO, source, "caf\u00e9 \u20ac", null, "stdout")))
                .isEqualTo("2026-12-01 09:05:07.042 INFO  [Gr\u00fcppe] [host-1] [php w.php/3/2] caf\u00e9 \u20ac\n");
        assertThat(LogFormat.TEXT.format(new LogRecord(at + 958, LogLevel.ERROR, null, "first\nsecond",
                java.util.Map.of("k", "v"))))
                .isEqualTo("2026-12-01 09:05:08.000 ERROR [master] first\n    ... [master] second k=v\n");
        assertThat(LogFormat.JSON.format(new LogRecord(at, LogLevel.WARN, source, "x\"y", null, "stderr")))
                .startsWith("{\"time\":\"").contains("\"level\":\"WARN\"", "\"group\":\"Gr\u00fcppe\"",
                        "\"stream\":\"stderr\"", "\"message\":\"x\\\"y\"").endsWith("}\n");
    }
}
