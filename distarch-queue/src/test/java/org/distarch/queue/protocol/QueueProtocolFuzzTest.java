package org.distarch.queue.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random bytes and mutated valid streams, fed in random chunk sizes: the reader only ever yields valid frames
 * or throws ProtocolException (FrameTooLarge included), never anything else, and never holds a buffer larger
 * than its limit.
 */
class QueueProtocolFuzzTest {

    private static final long SEED = 0x0051_EC0D_EC5EL;
    private static final int CASES = 5_000;
    private static final int LIMIT = 64 * 1024;

    private final Random random = new Random(SEED);

    @Test
    void randomBytes() throws Exception {
        for (int i = 0; i < CASES; i++) {
            byte[] bytes = new byte[random.nextInt(300)];
            random.nextBytes(bytes);
            if (random.nextBoolean() && bytes.length >= 4) {
                // a plausible header, so that the body is reached and parsed
                ByteBuffer.wrap(bytes).putInt(random.nextInt(bytes.length));
            }
            feedInChunks(bytes);
        }
    }

    @Test
    void randomJsonishBodies() throws Exception {
        String alphabet = "{}[]\":,0123456789.-e truefalsnul\\typedonefailedeliveryitempayload\u00e9";
        for (int i = 0; i < CASES; i++) {
            StringBuilder s = new StringBuilder("{\"type\":");
            int n = random.nextInt(120);
            for (int c = 0; c < n; c++) {
                s.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            feedInChunks(FrameReaderTest.frame(s.toString()));
        }
    }

    @Test
    void mutatedValidStreams() throws Exception {
        List<QueueFrame> valid = QueueCodecTest.allFrames();
        int produced = 0;
        for (int i = 0; i < CASES * 2; i++) {
            List<QueueFrame> chosen = new ArrayList<>();
            for (int f = 1 + random.nextInt(4); f > 0; f--) {
                chosen.add(valid.get(random.nextInt(valid.size())));
            }
            byte[] stream = FrameReaderTest.concat(chosen);
            for (int m = random.nextInt(4); m >= 0; m--) {
                mutate(stream);
            }
            produced += feedInChunks(stream);
        }
        assertThat(produced).isPositive(); // some frames survive their mutations
    }

    @Test
    void unmutatedStreamsInRandomChunksDecodeExactly() throws Exception {
        List<QueueFrame> valid = QueueCodecTest.allFrames();
        for (int i = 0; i < CASES; i++) {
            List<QueueFrame> chosen = new ArrayList<>();
            for (int f = 1 + random.nextInt(6); f > 0; f--) {
                chosen.add(valid.get(random.nextInt(valid.size())));
            }
            FrameReader reader = new FrameReader(LIMIT);
            List<QueueFrame> out = new ArrayList<>();
            byte[] stream = FrameReaderTest.concat(chosen);
            int at = 0;
            while (at < stream.length) {
                int n = Math.min(stream.length - at, 1 + random.nextInt(64));
                out.addAll(reader.feed(ByteBuffer.wrap(stream, at, n)));
                at += n;
            }
            assertThat(out).isEqualTo(chosen);
            assertThat(reader.hasPartialFrame()).isFalse();
        }
    }

    private void mutate(byte[] stream) {
        int at = random.nextInt(stream.length);
        switch (random.nextInt(4)) {
            case 0 -> stream[at] = (byte) random.nextInt(256);
            case 1 -> stream[at] ^= (byte) (1 << random.nextInt(8));
            case 2 -> stream[at] = (byte) "{}[]\":,0-9ae\\".charAt(random.nextInt(13));
            default -> stream[at] = 0;
        }
    }

    /** Feeds in random chunks; returns how many frames came out. Fails on any unexpected exception. */
    private int feedInChunks(byte[] bytes) {
        FrameReader reader = new FrameReader(LIMIT);
        int produced = 0;
        int at = 0;
        try {
            while (at < bytes.length) {
                int n = Math.min(bytes.length - at, 1 + random.nextInt(random.nextBoolean() ? 8 : 512));
                ByteBuffer chunk = ByteBuffer.wrap(bytes, at, n);
                List<QueueFrame> frames = reader.feed(chunk);
                assertThat(chunk.hasRemaining()).isFalse();
                at += n;
                assertThat(reader.bufferCapacity()).isLessThanOrEqualTo(LIMIT);
                for (QueueFrame f : frames) {
                    assertValid(f);
                }
                produced += frames.size();
            }
        } catch (ProtocolException e) {
            assertThat(e.getMessage()).isNotBlank().hasSizeLessThan(300);
            assertThat(reader.bufferCapacity()).isLessThanOrEqualTo(LIMIT);
            for (QueueFrame f : e.decoded()) {
                assertValid(f);
            }
        } catch (RuntimeException | Error e) {
            fail("unexpected " + e + " on input of " + bytes.length + " bytes", e);
        }
        return produced;
    }

    /** A decoded frame re-encodes, and decodes again to an equal frame. */
    private static void assertValid(QueueFrame f) {
        assertThat(f).isNotNull();
        byte[] again = QueueCodec.encode(f, Integer.MAX_VALUE);
        try {
            QueueFrame back = QueueCodec.decode(again, 4, again.length - 4);
            assertThat(back.type()).isEqualTo(f.type());
        } catch (ProtocolException e) {
            fail("a decoded frame did not survive re-encoding: " + f, e);
        }
    }
}
