package org.distarch.remote.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.distarch.launch.WorkerStream;
import org.distarch.remote.protocol.RelayCodec;
import org.distarch.remote.protocol.RelayFrame;
import org.junit.jupiter.api.Test;

/** The relay's writer: batches a busy process's lines (protocol 4), keeps their order, and holds back a flood. */
@org.junit.jupiter.api.extension.ExtendWith(org.distarch.testing.NoStrayThreads.class)
class FrameWriterTest {

    /** A session whose network takes nothing until {@link #open} counts down, as when ssh's buffers are full. */
    private static final class StalledSession extends OutputStream {
        final CountDownLatch open = new CountDownLatch(1);
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                open.await();
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            synchronized (bytes) {
                bytes.write(b, off, len);
            }
        }

        List<RelayFrame> frames() {
            String all;
            synchronized (bytes) {
                all = bytes.toString(StandardCharsets.UTF_8);
            }
            List<RelayFrame> frames = new ArrayList<>();
            for (String line : all.split("\n")) {
                if (!line.isEmpty()) {
                    frames.add(RelayCodec.decode(line));
                }
            }
            return frames;
        }
    }

    private static List<String> texts(List<RelayFrame> frames, int handle) {
        List<String> texts = new ArrayList<>();
        for (RelayFrame f : frames) {
            if (f instanceof RelayFrame.Line l && l.handle() == handle) {
                texts.add(l.text());
            } else if (f instanceof RelayFrame.Lines l && l.handle() == handle) {
                texts.addAll(l.texts());
            }
        }
        return texts;
    }

    @Test
    void aBusyProcessesLinesGoOutManyToAFrameInOrderAndInterleavedProcessesStayApart() {
        StalledSession session = new StalledSession();
        List<String> expected = new ArrayList<>();
        try (FrameWriter writer = new FrameWriter(session, true)) {
            writer.write(new RelayFrame.Started(1, 100)); // queued while the network takes nothing
            for (int i = 0; i < 5000; i++) {
                writer.write(new RelayFrame.Line(1, "line " + i));
                expected.add("line " + i);
                if (i % 1000 == 0) {
                    writer.write(new RelayFrame.Line(2, "other " + i, WorkerStream.STDERR));
                }
            }
            session.open.countDown();
        }
        List<RelayFrame> frames = session.frames();
        assertThat(frames.get(0)).isEqualTo(new RelayFrame.Started(1, 100));
        assertThat(texts(frames, 1)).containsExactlyElementsOf(expected);
        assertThat(texts(frames, 2)).containsExactly("other 0", "other 1000", "other 2000", "other 3000", "other 4000");
        assertThat(frames).filteredOn(f -> f instanceof RelayFrame.Lines l && l.handle() == 2)
                .allMatch(f -> ((RelayFrame.Lines) f).stream() == WorkerStream.STDERR);
        // Far fewer frames than lines: the writer found them queued together.
        assertThat(frames).filteredOn(f -> f instanceof RelayFrame.Lines).isNotEmpty();
        assertThat(frames.size()).isLessThan(1000);
    }

    @Test
    void aMasterOfVersion3GetsOneFramePerLine() {
        StalledSession session = new StalledSession();
        try (FrameWriter writer = new FrameWriter(session, false)) {
            for (int i = 0; i < 100; i++) {
                writer.write(new RelayFrame.Line(1, "line " + i));
            }
            session.open.countDown();
        }
        List<RelayFrame> frames = session.frames();
        assertThat(frames).hasSize(100).allMatch(f -> f instanceof RelayFrame.Line);
    }

    @Test
    void aFloodWaitsForTheNetworkInsteadOfFillingTheHeapAndLosesNothing() throws Exception {
        StalledSession session = new StalledSession();
        String line = "x".repeat(1000);
        int count = 5 * FrameWriter.QUEUE_CHARS / line.length(); // five times what the queue holds
        try (FrameWriter writer = new FrameWriter(session, true)) {
            CountDownLatch wrote = new CountDownLatch(1);
            Thread flooder = new Thread(() -> {
                for (int i = 0; i < count; i++) {
                    writer.write(new RelayFrame.Line(1, i + line));
                }
                wrote.countDown();
            }, "flooder");
            flooder.start();
            // The producer blocks (a worker's pipe would fill next) while the network takes nothing.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (flooder.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(flooder.getState()).isEqualTo(Thread.State.WAITING);
            assertThat(wrote.getCount()).isEqualTo(1);
            session.open.countDown();
            assertThat(wrote.await(30, TimeUnit.SECONDS)).isTrue();
            flooder.join(10_000);
        }
        List<String> texts = texts(session.frames(), 1);
        assertThat(texts).hasSize(count);
        for (int i = 0; i < count; i++) {
            if (!texts.get(i).equals(i + line)) {
                throw new AssertionError("line " + i + " out of order: " + texts.get(i).substring(0, 10));
            }
        }
    }

    @Test
    void aLineLongerThanTheWholeQueueStillGoesOut() {
        StalledSession session = new StalledSession();
        session.open.countDown();
        String huge = "y".repeat(FrameWriter.QUEUE_CHARS + 10);
        try (FrameWriter writer = new FrameWriter(session, true)) {
            writer.write(new RelayFrame.Line(1, huge));
            writer.write(new RelayFrame.Line(1, huge));
        }
        assertThat(texts(session.frames(), 1)).containsExactly(huge, huge);
    }
}
