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
}
