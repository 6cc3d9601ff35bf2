package org.distarch.output;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;

/**
 * Writes "yyyy-MM-dd HH:mm:ss.SSS" in local time as bytes, formatting the date and time once per second and
 * adding the three digits of the millisecond per line. One per writing thread; not thread-safe.
 */
public final class LocalTimestamps {

    private final ZoneId zone;
    private long second = Long.MIN_VALUE;
    private byte[] secondBytes = new byte[0];

    public LocalTimestamps(ZoneId zone) {
        this.zone = zone;
    }

    public void put(ByteLines out, long epochMillis) {
        long sec = Math.floorDiv(epochMillis, 1000);
        if (sec != second) {
            LocalDateTime t = LocalDateTime.ofInstant(Instant.ofEpochSecond(sec), zone);
            secondBytes = String.format("%04d-%02d-%02d %02d:%02d:%02d.", t.getYear(), t.getMonthValue(),
                    t.getDayOfMonth(), t.getHour(), t.getMinute(), t.getSecond()).getBytes(StandardCharsets.US_ASCII);
            second = sec;
        }
        out.put(secondBytes);
        out.putMillis(Math.floorMod(epochMillis, 1000));
    }
}
