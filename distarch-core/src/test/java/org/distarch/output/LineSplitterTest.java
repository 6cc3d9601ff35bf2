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
