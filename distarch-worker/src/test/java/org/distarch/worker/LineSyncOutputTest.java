package org.distarch.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LineSyncOutputTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final AtomicLong clock = new AtomicLong(1_000);
    private final LineSyncOutput output = new LineSyncOutput(out, err, clock::get);

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aProtocolLineNeverLandsInsideAPartialLine() throws Exception {
        output.stdout().write("abc".getBytes(StandardCharsets.UTF_8));
        output.writeLine("@@distarch ping");
        output.stdout().write("def\nghi".getBytes(StandardCharsets.UTF_8));

        assertThat(stdout()).isEqualTo("@@distarch ping\nabcdef\n");
        output.finish();
        assertThat(stdout()).isEqualTo("@@distarch ping\nabcdef\nghi\n");
    }

    @Test
    void singleByteWritesAreLineSynchronizedToo() throws Exception {
        for (byte b : "ab".getBytes(StandardCharsets.UTF_8)) {
            output.stdout().write(b);
        }
        output.writeLine("@@distarch ended");
        output.stdout().write('\n');

        assertThat(stdout()).isEqualTo("@@distarch ended\nab\n");
    }

    @Test
    void theLastOutputTimeMovesOnlyWhenBytesGoOut() throws Exception {
        long initial = output.lastOutputNanos();
        assertThat(initial).isLessThan(1_000);
        clock.set(2_000);
        output.stdout().write("partial".getBytes(StandardCharsets.UTF_8));
        assertThat(output.lastOutputNanos()).isEqualTo(initial);
        output.stderr().write("line\n".getBytes(StandardCharsets.UTF_8));
        assertThat(output.lastOutputNanos()).isEqualTo(2_000);
        clock.set(3_000);
        output.writeLine("@@distarch ping");
        assertThat(output.lastOutputNanos()).isEqualTo(3_000);
    }

    /** A line over the cap is written through; a protocol line then ends it rather than waiting. */
    @Test
    void aHugePartialLineIsWrittenThroughAndBrokenByAProtocolLine() throws Exception {
        byte[] huge = new byte[LineSyncOutput.PENDING_CAP + 10];
        Arrays.fill(huge, (byte) 'x');
        output.stdout().write(huge);
        assertThat(out.size()).isEqualTo(huge.length);
        output.stdout().write("yy".getBytes(StandardCharsets.UTF_8));
        output.writeLine("@@distarch ping");
        output.stdout().write("zz\n".getBytes(StandardCharsets.UTF_8));

        assertThat(stdout()).isEqualTo("x".repeat(huge.length) + "yy\n@@distarch ping\nzz\n");
    }

    @Test
    void concurrentWritersNeverMixProtocolAndApplicationLines() throws Exception {
        PrintStream app = new PrintStream(output.stdout(), true, StandardCharsets.UTF_8);
        int threads = 4;
        int perThread = 2_000;
        List<Thread> all = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            all.add(new Thread(() -> {
                for (int i = 0; i < perThread; i++) {
                    // println(String) reaches the stream as two writes: text, then newline
                    app.println("app-" + id + "-" + i);
                }
            }));
            all.add(new Thread(() -> {
                for (int i = 0; i < perThread; i++) {
                    output.writeLine("@@distarch log warn proto-" + id + "-" + i);
                }
            }));
        }
        all.forEach(Thread::start);
        for (Thread thread : all) {
            thread.join();
        }
        output.finish();

        String[] lines = stdout().split("\n");
        assertThat(lines).hasSize(threads * perThread * 2);
        for (String line : lines) {
            assertThat(line).matches("app-\\d+-\\d+|@@distarch log warn proto-\\d+-\\d+");
        }
    }
}
