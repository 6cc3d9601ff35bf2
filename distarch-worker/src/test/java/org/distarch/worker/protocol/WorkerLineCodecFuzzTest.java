package org.distarch.worker.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Random and mutated lines: parse never throws, and whatever the encoder writes reads back. */
class WorkerLineCodecFuzzTest {

    private static final long SEED = 0x5EED_D15A_2CL;
    private static final int CASES = 20_000;
    private static final List<String> SEEDS = List.of(
            "@@distarch ping",
            "@@distarch ended",
            "@@distarch log warn something happened",
            "@@distarch log ERROR",
            "@@distarch json {\"level\":\"warn\",\"message\":\"a\\nb\",\"context\":{\"k\":\"v\",\"n\":1}}",
            "@@distarch json {\"message\":\"\\u00e9\\ud83d\\ude00\"}",
            "plain output");

    private static final String PROTOCOL_CHARS = "@ distarchpingendedlogjsonwarnINFO{}[]\":,\\0123456789tfnu";

    private final Random random = new Random(SEED);

    @Test
    void parseNeverThrowsOnRandomStrings() {
        for (int i = 0; i < CASES; i++) {
            String line = randomString(random.nextInt(200));
            if (random.nextBoolean()) {
                line = WorkerLineCodec.PREFIX + line;
            }
            assertParses(line);
        }
    }

    @Test
    void parseNeverThrowsOnMutatedValidLines() {
        for (int i = 0; i < CASES; i++) {
            StringBuilder line = new StringBuilder(SEEDS.get(random.nextInt(SEEDS.size())));
            int mutations = 1 + random.nextInt(4);
            for (int m = 0; m < mutations; m++) {
                mutate(line);
            }
            assertParses(line.toString());
        }
    }

    @Test
    void parseNeverThrowsOnHugeLines() {
        String big = "x".repeat(5_000_000);
        assertParses(big);
        assertParses("@@distarch log info " + big);
        assertParses("@@distarch json {\"message\":\"" + big + "\"}");
        assertParses("@@distarch json {\"message\":\"" + big);
        assertParses("@@distarch json " + "{\"a\":".repeat(50_000));
    }

    @Test
    void randomLogLinesRoundTrip() {
        LogLevel[] levels = LogLevel.values();
        for (int i = 0; i < CASES; i++) {
            LogLevel level = levels[random.nextInt(levels.length)];
            String message = randomString(random.nextInt(80));
            Map<String, String> context = new LinkedHashMap<>();
            int entries = random.nextInt(3) == 0 ? random.nextInt(4) : 0;
            for (int e = 0; e < entries; e++) {
                context.put(randomString(random.nextInt(10)), randomString(random.nextInt(20)));
            }
            String encoded = WorkerLineCodec.log(level, message, context);

            assertThat(encoded).doesNotContain("\n").doesNotContain("\r");
            assertThat(WorkerLineCodec.parse(encoded)).isEqualTo(new WorkerLine.Log(level, message, context));
        }
    }

    private void assertParses(String line) {
        WorkerLine parsed = WorkerLineCodec.parse(line);
        assertThat(parsed).isNotNull();
        if (parsed instanceof WorkerLine.Output output) {
            assertThat(output.text()).isEqualTo(line);
        } else {
            assertThat(line).startsWith(WorkerLineCodec.PREFIX);
        }
    }

    private void mutate(StringBuilder line) {
        int at = line.length() == 0 ? 0 : random.nextInt(line.length());
        switch (random.nextInt(5)) {
            case 0 -> line.insert(at, randomChar());
            case 1 -> {
                if (line.length() > 0) {
                    line.deleteCharAt(at);
                }
            }
            case 2 -> {
                if (line.length() > 0) {
                    line.setCharAt(at, randomChar());
                }
            }
            case 3 -> line.setLength(at);
            default -> line.insert(at, SEEDS.get(random.nextInt(SEEDS.size())));
        }
    }

    private String randomString(int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(randomChar());
        }
        return text.toString();
    }

    /** Mostly protocol-relevant ASCII, some controls, some non-ASCII, some lone surrogates. */
    private char randomChar() {
        int kind = random.nextInt(10);
        if (kind < 5) {
            return PROTOCOL_CHARS.charAt(random.nextInt(PROTOCOL_CHARS.length()));
        }
        if (kind < 7) {
            return (char) (0x20 + random.nextInt(0x5f));
        }
        if (kind < 8) {
            return (char) random.nextInt(0x20);
        }
        if (kind < 9) {
            return (char) (0x80 + random.nextInt(0x2000));
        }
        return (char) random.nextInt(0x10000);
    }
}
