package org.distarch.master;

import java.time.Duration;

/** Durations in the master's log lines and answers: {@code 10s}, {@code 1.5s}, {@code 6h}, {@code 1h30m}. */
final class Durations {

    private Durations() {}

    static String text(Duration d) {
        long ms = d.toMillis();
        if (ms % 1000 != 0) {
            return String.format("%.1fs", ms / 1000.0);
        }
        long s = ms / 1000;
        if (s == 0 || s % 60 != 0) {
            return s + "s";
        }
        long m = s / 60;
        if (m % 60 != 0) {
            return m >= 60 ? m / 60 + "h" + m % 60 + "m" : m + "m";
        }
        return m / 60 + "h";
    }
}
