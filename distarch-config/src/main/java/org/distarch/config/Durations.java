package org.distarch.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them in a configuration: {@code 90} (seconds), {@code 10s}, {@code 5m}, {@code 6h},
 * {@code 1d}, or parts together such as {@code 1h30m}; {@code ms} for milliseconds.
 */
final class Durations {

    private static final Pattern PART = Pattern.compile("([0-9]+)(ms|s|m|h|d)");
    private static final Pattern WHOLE = Pattern.compile("[0-9]+");

    private Durations() {}

    /** The duration, or null when the text is not a positive duration. */
    static Duration parse(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT).replace(" ", "");
        if (t.isEmpty()) {
            return null;
        }
        try {
            if (WHOLE.matcher(t).matches()) {
                Duration d = Duration.ofSeconds(Long.parseLong(t));
                return d.isZero() ? null : d;
            }
            Matcher m = PART.matcher(t);
            Duration total = Duration.ZERO;
            int at = 0;
            while (m.find() && m.start() == at) {
                long n = Long.parseLong(m.group(1));
                total = total.plus(switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                });
                at = m.end();
            }
            return at == t.length() && !total.isZero() ? total : null;
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
    }
}
