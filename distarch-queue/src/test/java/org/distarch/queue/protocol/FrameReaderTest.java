package org.distarch.queue.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameReaderTest {

    private static final List<QueueFrame> FRAMES = List.of(
            new QueueFrame.Auth(1, "c1", ""),
            new QueueFrame.Ready(2),
            new QueueFrame.Done(1),
            new QueueFrame.Failed(2, "no such file"),
            new QueueFrame.Pong(),
            new QueueFrame.Item(3, "i-3", 1, JsonNodeFactory.instance.textNode("\u00e9".repeat(20_000))));

    @Test
    void aRaisedLimitAppliesFromTheNextHeaderAndHeldBytesFollowWhatArrived() throws Exception {
        FrameReader reader = new FrameReader(4096);
        assertThat(reader.heldBytes()).isEqualTo(QueueCodec.HEADER_BYTES);
        reader.feed(ByteBuffer.wrap(ByteBuffer.allocate(4).putInt(4000).array()));
        reader.feed(ByteBuffer.wrap(new byte[100]));
        assertThat(reader.heldBytes()).as("allocated by what arrived, capped by the announced length")
                .isLessThanOrEqualTo(QueueCodec.HEADER_BYTES + 4000);
        FrameReader small = new FrameReader(4096);
        assertThatThrownBy(() -> small.feed(ByteBuffer.wrap(ByteBuffer.allocate(4).putInt(5000).array())))
                .isInstanceOf(FrameTooLarge.class);
        FrameReader raised = new FrameReader(4096);
        raised.limit(1 << 20);
        raised.feed(ByteBuffer.wrap(ByteBuffer.allocate(4).putInt(5000).array()));
        assertThat(raised.hasPartialFrame()).isTrue();
    }

    @Test
    void oneByteAtATime() throws Exception {
        byte[] stream = concat(FRAMES);
        FrameReader reader = new FrameReader();
        List<QueueFrame> out = new ArrayList<>();
        for (byte b : stream) {
            out.addAll(reader.feed(ByteBuffer.wrap(new byte[] {b})));
        }
        assertThat(out).isEqualTo(FRAMES);
        assertThat(reader.hasPartialFrame()).isFalse();
    }

    @Test
    void manyFramesInOneBuffer() throws Exception {
        assertThat(new FrameReader().feed(ByteBuffer.wrap(concat(FRAMES)))).isEqualTo(FRAMES);
    }

    @Test
    void frameSplitAcrossBuffersKeepsThePartialOne() throws Exception {
        byte[] one = QueueCodec.encode(new QueueFrame.Failed(9, "split"));
        byte[] two = QueueCodec.encode(new QueueFrame.Done(10));
        byte[] stream = concat(one, two);
        FrameReader reader = new FrameReader();

        assertThat(reader.feed(ByteBuffer.wrap(stream, 0, 2))).isEmpty();
        assertThat(reader.hasPartialFrame()).isTrue();
        assertThat(reader.bufferedBytes()).isEqualTo(2);
        assertThat(reader.feed(ByteBuffer.wrap(stream, 2, one.length))).containsExactly(new QueueFrame.Failed(9, "split"));
        assertThat(reader.hasPartialFrame()).isTrue();
        assertThat(reader.feed(ByteBuffer.wrap(stream, one.length + 2, two.length - 2)))
                .containsExactly(new QueueFrame.Done(10));
        assertThat(reader.hasPartialFrame()).isFalse();
        assertThat(reader.bufferedBytes()).isZero();
    }

    @Test
    void emptyFeedDoesNothing() throws Exception {
        FrameReader reader = new FrameReader();
        assertThat(reader.feed(ByteBuffer.allocate(0))).isEmpty();
        assertThat(reader.hasPartialFrame()).isFalse();
    }

    @Test
    void headerAnnouncingTwoMebibytesIsRefusedBeforeTheBody() {
        FrameReader reader = new FrameReader();
        ByteBuffer header = ByteBuffer.allocate(4).putInt(2 * 1024 * 1024).flip();

        assertThatThrownBy(() -> reader.feed(header)).isInstanceOf(FrameTooLarge.class)
                .hasMessage("frame of 2097152 bytes exceeds the limit of 1048576 bytes")
                .satisfies(e -> {
                    assertThat(((FrameTooLarge) e).announcedSize()).isEqualTo(2 * 1024 * 1024);
                    assertThat(((FrameTooLarge) e).limit()).isEqualTo(1024 * 1024);
                });
        assertThat(reader.bufferCapacity()).isZero();
        assertThatThrownBy(() -> reader.feed(ByteBuffer.wrap(new byte[] {1})))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void frameOfExactlyTheLimitIsAccepted() throws Exception {
        QueueFrame.Failed template = new QueueFrame.Failed(1, "");
        int overhead = QueueCodec.payload(template).length;
        int limit = 4096;
        QueueFrame.Failed exact = new QueueFrame.Failed(1, "e".repeat(limit - overhead));
        assertThat(QueueCodec.payload(exact)).hasSize(limit);

        FrameReader reader = new FrameReader(limit);
        assertThat(reader.feed(ByteBuffer.wrap(QueueCodec.encode(exact, limit)))).containsExactly(exact);
        assertThat(reader.bufferCapacity()).isLessThanOrEqualTo(limit);

        QueueFrame.Failed oneMore = new QueueFrame.Failed(1, "e".repeat(limit - overhead + 1));
        assertThatThrownBy(() -> new FrameReader(limit).feed(ByteBuffer.wrap(QueueCodec.encode(oneMore, limit + 1))))
                .isInstanceOf(FrameTooLarge.class);
    }

    @Test
    void defaultLimitFrameIsAcceptedAndBufferGrowsWithTheBytesReceived() throws Exception {
        int limit = QueueCodec.DEFAULT_MAX_FRAME;
        int overhead = QueueCodec.payload(new QueueFrame.Failed(1, "")).length;
        QueueFrame.Failed exact = new QueueFrame.Failed(1, "e".repeat(limit - overhead));
        byte[] encoded = QueueCodec.encode(exact);
        FrameReader reader = new FrameReader();

        assertThat(reader.feed(ByteBuffer.wrap(encoded, 0, 100))).isEmpty();
        assertThat(reader.bufferCapacity()).isLessThanOrEqualTo(8 * 1024);
        assertThat(reader.feed(ByteBuffer.wrap(encoded, 100, encoded.length - 100))).containsExactly(exact);
        assertThat(reader.bufferCapacity()).isZero(); // a large buffer is not kept for an idle peer
    }

    @Test
    void zeroLengthIsMalformed() {
        assertThatThrownBy(() -> new FrameReader().feed(ByteBuffer.wrap(new byte[] {0, 0, 0, 0})))
                .isInstanceOf(ProtocolException.class).isNotInstanceOf(FrameTooLarge.class)
                .hasMessage("malformed frame length 0");
    }

    @Test
    void negativeLengthIsMalformed() {
        assertThatThrownBy(() -> new FrameReader().feed(ByteBuffer.allocate(4).putInt(-5).flip()))
                .isInstanceOf(ProtocolException.class).isNotInstanceOf(FrameTooLarge.class)
                .hasMessage("malformed frame length -5");
        assertThatThrownBy(() -> new FrameReader().feed(ByteBuffer.wrap(new byte[] {(byte) 0x80, 0, 0, 0})))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("malformed frame length");
    }

    @Test
    void nonUtf8PayloadIsAProtocolError() {
        byte[] body = {'{', '"', 't', (byte) 0xFF, '"', '}'};
        assertThatThrownBy(() -> new FrameReader().feed(ByteBuffer.wrap(frame(body))))
                .isInstanceOf(ProtocolException.class).hasMessage("payload is not valid UTF-8");
    }

    @Test
    void arraysAndStringsAreNotFrames() {
        assertThatThrownBy(() -> new FrameReader().feed(ByteBuffer.wrap(frame("[{\"type\":\"pong\"}]"))))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("got an array");
        assertThatThrownBy(() -> new FrameReader().feed(ByteBuffer.wrap(frame("\"pong\""))))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("got a string");
    }

    @Test
    void missingFieldsAreAProtocolError() {
        assertThatThrownBy(() -> new FrameReader().feed(ByteBuffer.wrap(frame("{\"type\":\"failed\",\"delivery\":3}"))))
                .isInstanceOf(ProtocolException.class).hasMessage("failed needs \"error\"");
    }

    @Test
    void goodFramesBeforeABadOneAreHandedOverWithTheError() throws Exception {
        byte[] stream = concat(QueueCodec.encode(new QueueFrame.Done(1)), QueueCodec.encode(new QueueFrame.Done(2)),
                frame("garbage"), QueueCodec.encode(new QueueFrame.Done(3)));
        assertThatThrownBy(() -> new FrameReader().feed(ByteBuffer.wrap(stream)))
                .isInstanceOf(ProtocolException.class)
                .satisfies(e -> assertThat(((ProtocolException) e).decoded())
                        .containsExactly(new QueueFrame.Done(1), new QueueFrame.Done(2)));
    }

    @Test
    void stalledMidFrameIsVisible() throws Exception {
        byte[] encoded = QueueCodec.encode(new QueueFrame.Pong());
        FrameReader reader = new FrameReader();
        reader.feed(ByteBuffer.wrap(encoded, 0, encoded.length - 1));
        assertThat(reader.hasPartialFrame()).isTrue();
        assertThat(reader.bufferedBytes()).isEqualTo(encoded.length - 1);
    }

    @Test
    void limitMustBePositive() {
        assertThatThrownBy(() -> new FrameReader(0)).isInstanceOf(IllegalArgumentException.class);
    }

    static byte[] frame(String json) {
        return frame(json.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] frame(byte[] body) {
        return ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array();
    }

    static byte[] concat(List<QueueFrame> frames) {
        return concat(frames.stream().map(QueueCodec::encode).toArray(byte[][]::new));
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
