package org.distarch.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LineSplitterTest {

    private final List<String> lines = new ArrayList<>();
    private final LineSplitter splitter = new LineSplitter(32, lines::add);

    private void feed(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        splitter.feed(b, 0, b.length);
    }

    @Test
    void splitsOnNewlinesAcrossChunksAndDropsCarriageReturns() {
        feed("one\r\ntw");
        feed("o\nthree");
        splitter.finish();
        assertThat(lines).containsExactly("one", "two", "three");
    }

    @Test
    void anOverlongLineIsCutAndMarkedAndTheNextLineIsIntact() {
        feed("x".repeat(100) + "\nnext\n");
        assertThat(lines).containsExactly("x".repeat(32) + " [truncated 68 bytes]", "next");
    }

    @Test
    void aHugeLineWithoutNewlineIsCutAtTheEndOfTheStream() {
        byte[] chunk = new byte[1 << 20];
        java.util.Arrays.fill(chunk, (byte) 'y');
        for (int i = 0; i < 100; i++) {
            splitter.feed(chunk, 0, chunk.length);
        }
        splitter.finish();
        assertThat(lines).containsExactly("y".repeat(32) + " [truncated " + (100L * (1 << 20) - 32) + " bytes]");
    }

    @Test
    void invalidUtf8AndControlCharactersBecomeReplacementCharacters() {
        byte[] bad = {'a', (byte) 0xC3, (byte) 0x28, 0, 0x1b, '[', '3', '1', 'm', '\t', 'b', '\n'};
        splitter.feed(bad, 0, bad.length);
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).startsWith("a\uFFFD(\uFFFD\uFFFD[31m\tb");
    }

    /** C1 controls (e.g. U+009B, the one-byte CSI) and bidi overrides reached the log unchanged. */
    @Test
    void c1ControlsAndBidiOverridesAreReplacedLikeC0Controls() {
        LineSplitter wide = new LineSplitter(256, lines::add);
        byte[] bytes = {
            'a', (byte) 0xC2, (byte) 0x80,                 // U+0080
            'b', (byte) 0xC2, (byte) 0x9B, '3', '1', 'm',  // U+009B CSI
            'c', (byte) 0xC2, (byte) 0x9F,                 // U+009F
            'd', (byte) 0xC2, (byte) 0xA0,                 // U+00A0 no-break space: kept
            'e', (byte) 0xE2, (byte) 0x80, (byte) 0xAA,    // U+202A LRE
            'f', (byte) 0xE2, (byte) 0x80, (byte) 0xAE,    // U+202E RLO
            'g', (byte) 0xE2, (byte) 0x80, (byte) 0xA9,    // U+2029 paragraph separator: not a bidi control
            'h', (byte) 0xE2, (byte) 0x81, (byte) 0xA6,    // U+2066 LRI
            'i', (byte) 0xE2, (byte) 0x81, (byte) 0xA9,    // U+2069 PDI
            'j', (byte) 0xE2, (byte) 0x81, (byte) 0xAA,    // U+206A: kept
            'k', (byte) 0xE2, (byte) 0x82, (byte) 0xAC,    // U+20AC euro sign: kept
            '\t', 'l', (byte) 0xC3, (byte) 0xA9, '\n'      // tab and é: kept
        };
        wide.feed(bytes, 0, bytes.length);
        assertThat(lines).containsExactly(
                "a\uFFFDb\uFFFD31mc\uFFFDd\u00A0e\uFFFDf\uFFFDg\u2029h\uFFFDi\uFFFDj\u206Ak\u20AC\tl\u00E9");
    }

    @Test
    void c1ControlSplitAcrossChunksIsStillReplaced() {
        byte[] first = {'x', (byte) 0xE2, (byte) 0x80};
        byte[] second = {(byte) 0xAE, 'y', (byte) 0xC2};
        byte[] third = {(byte) 0x85, '\n'};
        splitter.feed(first, 0, first.length);
        splitter.feed(second, 0, second.length);
        splitter.feed(third, 0, third.length);
        assertThat(lines).containsExactly("x\uFFFDy\uFFFD");
    }

    @Test
    void randomBytesNeverBreakIt() {
        Random random = new Random(7);
        LineSplitter s = new LineSplitter(64, line -> assertThat(line.length()).isLessThan(200));
        byte[] b = new byte[4096];
        for (int i = 0; i < 2000; i++) {
            random.nextBytes(b);
            s.feed(b, 0, random.nextInt(b.length));
        }
        s.finish();
    }

    /**
     * A line that arrives whole in one chunk takes the fast path (its text made straight from the chunk); one
     * cut by a chunk's end is gathered byte by byte. Both must give the same lines for any bytes: fed in one
     * piece, byte by byte, and in random pieces, the same mix of text, CRs, controls, C1 and bidi controls,
     * valid and broken UTF-8 and over-long lines gives the same result.
     */
    @Test
    void wholeChunksGiveTheSameLinesAsAnyOtherSplitOfTheBytes() {
        byte[][] pieces = {
            "plain text".getBytes(StandardCharsets.UTF_8), {'\n'}, {'\r', '\n'}, {'\t'}, {0}, {0x1b, '['}, {0x7f},
            "\u00e9\u20ac\uD83D\uDE00".getBytes(StandardCharsets.UTF_8), {(byte) 0xC2, (byte) 0x9B},
            {(byte) 0xE2, (byte) 0x80, (byte) 0xAE}, {(byte) 0xE2, (byte) 0x81, (byte) 0xA6}, {(byte) 0xC3},
            {(byte) 0xFF}, "x".repeat(70).getBytes(StandardCharsets.UTF_8), {'\r'},
        };
        Random random = new Random(15);
        for (int round = 0; round < 200; round++) {
            java.io.ByteArrayOutputStream input = new java.io.ByteArrayOutputStream();
            for (int i = random.nextInt(60); i >= 0; i--) {
                input.writeBytes(pieces[random.nextInt(pieces.length)]);
            }
            byte[] bytes = input.toByteArray();
            List<String> whole = split(bytes, bytes.length, new Random(0));
            assertThat(split(bytes, 1, new Random(0))).as("byte by byte, round %d", round).isEqualTo(whole);
            assertThat(split(bytes, 0, new Random(round))).as("random pieces, round %d", round).isEqualTo(whole);
        }
    }

    /** The lines of {@code bytes} fed in pieces of {@code piece} bytes (0: random sizes). */
    private static List<String> split(byte[] bytes, int piece, Random random) {
        List<String> out = new ArrayList<>();
        LineSplitter s = new LineSplitter(32, out::add);
        for (int at = 0; at < bytes.length; ) {
            int n = Math.min(bytes.length - at, piece > 0 ? piece : 1 + random.nextInt(40));
            s.feed(bytes, at, n);
            at += n;
        }
        s.finish();
        return out;
    }

    /** A huge binary line in the middle of one big chunk: cut at the cap, repaired, and the lines around it whole. */
    @Test
    void aHugeBinaryLineInsideOneChunkIsCutAndRepairedAndItsNeighboursAreWhole() {
        LineSplitter s = new LineSplitter(LineSplitter.DEFAULT_MAX_LINE_BYTES, lines::add);
        byte[] binary = new byte[200_000];
        new Random(3).nextBytes(binary);
        for (int i = 0; i < binary.length; i++) {
            if (binary[i] == '\n') {
                binary[i] = 0;
            }
        }
        java.io.ByteArrayOutputStream chunk = new java.io.ByteArrayOutputStream();
        chunk.writeBytes("before\n".getBytes(StandardCharsets.UTF_8));
        chunk.writeBytes(binary);
        chunk.writeBytes("\nafter\n".getBytes(StandardCharsets.UTF_8));
        byte[] all = chunk.toByteArray();
        s.feed(all, 0, all.length);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).isEqualTo("before");
        assertThat(lines.get(2)).isEqualTo("after");
        String cut = lines.get(1);
        assertThat(cut).endsWith(" [truncated " + (binary.length - LineSplitter.DEFAULT_MAX_LINE_BYTES) + " bytes]");
        assertThat(cut.getBytes(StandardCharsets.UTF_8).length).isLessThan(3 * LineSplitter.DEFAULT_MAX_LINE_BYTES);
        assertThat(cut.chars().noneMatch(c -> LineSplitter.isControl((char) c))).isTrue();
    }

    /** A reader with a ByteBuffer (heap or direct) feeds it as it is; the buffer ends up consumed. */
    @Test
    void aByteBufferIsFedFromItsPositionToItsLimitHeapOrDirect() {
        byte[] text = "skip|one\ntwo\nthr".getBytes(StandardCharsets.UTF_8);
        java.nio.ByteBuffer heap = java.nio.ByteBuffer.wrap(text);
        heap.position(5);
        splitter.feed(heap);
        assertThat(heap.hasRemaining()).isFalse();
        java.nio.ByteBuffer direct = java.nio.ByteBuffer.allocateDirect(16);
        direct.put("ee\n".getBytes(StandardCharsets.UTF_8)).flip();
        splitter.feed(direct);
        assertThat(direct.hasRemaining()).isFalse();
        assertThat(lines).containsExactly("one", "two", "three");
    }
}
