package org.distarch.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.distarch.worker.protocol.WorkerLine;
import org.distarch.worker.protocol.WorkerLine.ItemState;
import org.distarch.worker.protocol.WorkerLine.QueueItem;
import org.distarch.worker.protocol.WorkerLineCodec;
import org.junit.jupiter.api.Test;

/** Item lines kept back and written together: fewer writes than items, and each line still one event. */
class ItemLinesTest {

    /** Counts the writes that reach the stream under the PrintStream (what would be system calls). */
    static final class CountingStream extends OutputStream {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final AtomicInteger writes = new AtomicInteger();

        @Override
        public synchronized void write(int b) {
            writes.incrementAndGet();
            bytes.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            writes.incrementAndGet();
            bytes.write(b, off, len);
        }

        synchronized String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void aBurstOfItemsGoesOutInFewWritesAndEachLineParsesToOneItem() throws Exception {
        CountingStream sink = new CountingStream();
        int items = 2_000;
        // A linger far longer than the loop below: the burst is kept back and written together.
        try (ItemLines lines = new ItemLines(new PrintStream(sink, true, StandardCharsets.UTF_8), TimeUnit.SECONDS.toNanos(30))) {
            for (int i = 0; i < items; i++) {
                lines.add(new QueueItem(i % 3 == 0 ? ItemState.FAILED : ItemState.HANDLED, "item-" + i, 1 + i % 2,
                        i % 3 == 0 ? "boom \"" + i + "\"\nline two" : null, 7, "{\"n\":" + i + ",\"s\":\"\u00e9\"}", false));
            }
        }

        List<QueueItem> parsed = new ArrayList<>();
        for (String line : sink.text().split("\n")) {
            WorkerLine l = WorkerLineCodec.parse(line);
            assertThat(l).as(line).isInstanceOf(QueueItem.class);
            parsed.add((QueueItem) l);
        }
        assertThat(parsed).hasSize(items);
        for (int i = 0; i < items; i++) {
            QueueItem q = parsed.get(i);
            assertThat(q.itemId()).isEqualTo("item-" + i);
            assertThat(q.state()).isEqualTo(i % 3 == 0 ? ItemState.FAILED : ItemState.HANDLED);
            assertThat(q.attempt()).isEqualTo(1 + i % 2);
            assertThat(q.consumer()).isEqualTo(7);
            assertThat(q.item()).isEqualTo("{\"n\":" + i + ",\"s\":\"\u00e9\"}");
            if (i % 3 == 0) {
                assertThat(q.error()).isEqualTo("boom \"" + i + "\"\nline two");
            }
        }
        // Written in batches of up to 64 KiB, not line by line (about 200 KB here).
        assertThat(sink.writes.get()).isLessThan(items / 50);
    }

    @Test
    void aLoneLineGoesOutWithoutAnyFlushFromTheCaller() throws Exception {
        CountingStream sink = new CountingStream();
        try (ItemLines lines = new ItemLines(new PrintStream(sink, true, StandardCharsets.UTF_8))) {
            lines.add(new QueueItem(ItemState.RECEIVED, "only", 1, null, 3, "1", false));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (sink.text().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(5); // bounded wait for the writer thread, not the assertion
            }
            assertThat(sink.text()).isEqualTo(
                    "@@distarch item {\"state\":\"received\",\"itemId\":\"only\",\"attempt\":1,\"consumer\":3,\"item\":\"1\"}\n");
        }
    }

    @Test
    void closeWritesWhatIsKeptBackAndStopsTheWriterThread() throws Exception {
        CountingStream sink = new CountingStream();
        ItemLines lines = new ItemLines(new PrintStream(sink, true, StandardCharsets.UTF_8), TimeUnit.HOURS.toNanos(1));
        lines.add(new QueueItem(ItemState.HANDLED, "a", 1, null, 0, null, false));
        lines.add(new QueueItem(ItemState.HANDLED, "b", 1, null, 0, null, false));
        assertThat(sink.text()).isEmpty();
        lines.close();
        assertThat(sink.text().split("\n")).hasSize(2);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("distarch-item-lines"))
                && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("distarch-item-lines"));
    }
}
