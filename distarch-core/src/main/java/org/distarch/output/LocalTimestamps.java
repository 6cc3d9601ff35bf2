package org.distarch.output;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;

/**
 * Writes "yyyy-MM-dd HH:mm:ss.SSS" in local time as bytes, formatting the date and time once per second and
 * adding the three digits of the millisecond per line; and {@link #head} keeps the whole start of a line (the
 * timestamp and what follows it) while lines share their millisecond, as the lines of one read do. One per
 * writing thread; not thread-safe.
 */
public final class LocalTimestamps {

    /** "000" to "999": a millisecond's digits without a division per line. */
    private static final byte[] MILLIS = new byte[3000];

    static {
        for (int i = 0; i < 1000; i++) {
            MILLIS[3 * i] = (byte) ('0' + i / 100);
            MILLIS[3 * i + 1] = (byte) ('0' + i / 10 % 10);
            MILLIS[3 * i + 2] = (byte) ('0' + i % 10);
        }
    }

    private final ZoneId zone;
    /** The epoch milliseconds at which the second of {@link #secondBytes} starts. */
    private long secondStart = Long.MIN_VALUE;
    private byte[] secondBytes = new byte[0];

    private long headMillis = Long.MIN_VALUE;
    private byte[] headFirst;
    private byte[] headSecond;
    private byte[] head;
    private final ByteLines scratch = new ByteLines(128);

    public LocalTimestamps(ZoneId zone) {
        this.zone = zone;
    }

    public void put(ByteLines out, long epochMillis) {
        long ms = epochMillis - secondStart;
        if (ms < 0 || ms >= 1000) {
            long sec = Math.floorDiv(epochMillis, 1000);
            LocalDateTime t = LocalDateTime.ofInstant(Instant.ofEpochSecond(sec), zone);
            secondBytes = String.format("%04d-%02d-%02d %02d:%02d:%02d.", t.getYear(), t.getMonthValue(),
                    t.getDayOfMonth(), t.getHour(), t.getMinute(), t.getSecond()).getBytes(StandardCharsets.US_ASCII);
            secondStart = sec * 1000;
            ms = epochMillis - secondStart;
        }
        out.put(secondBytes);
        out.put(MILLIS, 3 * (int) ms, 3);
    }

    /**
     * The timestamp of {@code epochMillis} followed by {@code first} and {@code second} (a level's bytes, a
     * prefix's): the same array as for the previous line when the millisecond and both arrays (by identity) are
     * the same, so a flood's line starts with one copy of one array. The caller must not change what it gets.
     */
    public byte[] head(long epochMillis, byte[] first, byte[] second) {
        if (epochMillis != headMillis || first != headFirst || second != headSecond) {
            scratch.reset();
            put(scratch, epochMillis);
            scratch.put(first);
            scratch.put(second);
            head = scratch.toArray();
            headMillis = epochMillis;
            headFirst = first;
            headSecond = second;
        }
        return head;
    }
}
