package org.distarch.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The log's timestamps: cached per second and per line start, always the time the line carries. */
class LocalTimestampsTest {

    private static final DateTimeFormatter EXPECTED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    private static String put(LocalTimestamps times, long millis) {
        ByteLines out = new ByteLines(32);
        times.put(out, millis);
        return new String(out.toArray(), StandardCharsets.US_ASCII);
    }

    @Test
    void everyMillisecondIsWrittenAsItsLocalTimeAcrossSecondsInAnyOrder() {
        ZoneId zone = ZoneId.of("Europe/Paris"); // a daylight saving change in the range below
        LocalTimestamps times = new LocalTimestamps(zone);
        long start = Instant.parse("2026-03-29T00:59:58.990Z").toEpochMilli();
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            long millis = i < 10_000 ? start + i : start + random.nextInt(4_000_000) - 2_000_000;
            assertThat(put(times, millis)).as("at %d", millis)
                    .isEqualTo(EXPECTED.format(Instant.ofEpochMilli(millis).atZone(zone)));
        }
        assertThat(put(times, -1)).isEqualTo(EXPECTED.format(Instant.ofEpochMilli(-1).atZone(zone)));
    }

    @Test
    void aLineStartIsReusedOnlyForTheSameMillisecondAndTheSameParts() {
        LocalTimestamps times = new LocalTimestamps(ZoneOffset.UTC);
        byte[] info = " INFO  ".getBytes(StandardCharsets.US_ASCII);
        byte[] warn = " WARN  ".getBytes(StandardCharsets.US_ASCII);
        byte[] a = "[A] ".getBytes(StandardCharsets.US_ASCII);
        byte[] b = "[B] ".getBytes(StandardCharsets.US_ASCII);
        long t = Instant.parse("2026-12-03T12:00:00.999Z").toEpochMilli();
        byte[] first = times.head(t, info, a);
        assertThat(new String(first, StandardCharsets.US_ASCII)).isEqualTo("2026-12-03 12:00:00.999 INFO  [A] ");
        assertThat(times.head(t, info, a)).isSameAs(first);
        assertThat(new String(times.head(t, warn, a), StandardCharsets.US_ASCII))
                .isEqualTo("2026-12-03 12:00:00.999 WARN  [A] ");
        assertThat(new String(times.head(t, warn, b), StandardCharsets.US_ASCII))
                .isEqualTo("2026-12-03 12:00:00.999 WARN  [B] ");
        assertThat(new String(times.head(t + 1, warn, b), StandardCharsets.US_ASCII))
                .isEqualTo("2026-12-03 12:00:01.000 WARN  [B] ");
    }
}
