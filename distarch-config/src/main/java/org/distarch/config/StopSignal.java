package org.distarch.config;

import java.util.Locale;

/**
 * The signal that asks a group's processes to stop ({@code stop_signal:}); SIGKILL follows after the grace.
 * Only signals that a program may catch and that mean "please stop" to some daemon are allowed.
 */
public enum StopSignal {
    TERM(15), INT(2), QUIT(3), HUP(1), USR1(10), USR2(12);

    private final int number;

    StopSignal(int number) {
        this.number = number;
    }

    /** The Linux signal number. */
    public int number() {
        return number;
    }

    /** The value for {@code TERM}, {@code SIGTERM}, {@code term} or {@code 15}; null when none. */
    public static StopSignal of(String text) {
        String name = text.trim().toUpperCase(Locale.ROOT);
        if (name.startsWith("SIG")) {
            name = name.substring(3);
        }
        for (StopSignal signal : values()) {
            if (signal.name().equals(name) || Integer.toString(signal.number).equals(name)) {
                return signal;
            }
        }
        return null;
    }
}
