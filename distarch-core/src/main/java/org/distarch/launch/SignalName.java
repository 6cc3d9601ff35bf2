package org.distarch.launch;

import java.util.List;
import java.util.Locale;

/**
 * The signals an operator may send to a process ({@code distarch signal}), by their name without {@code SIG}: the
 * ones a worker may trap or that stop, continue or end it. The name travels as text to {@code kill -NAME} here
 * and on remote hosts, so only these exact names ever reach a command line.
 */
public final class SignalName {

    public static final List<String> ALLOWED = List.of("TERM", "INT", "QUIT", "HUP", "USR1", "USR2", "KILL",
            "STOP", "CONT", "WINCH", "ALRM", "TSTP", "TTIN", "TTOU", "PWR");

    private SignalName() {}

    /**
     * {@code usr1}, {@code SIGUSR1} or {@code USR1} as {@code USR1}.
     *
     * @throws IllegalArgumentException naming the signals allowed, for any other text
     */
    public static String of(String text) {
        String name = text == null ? "" : text.trim().toUpperCase(Locale.ROOT);
        if (name.startsWith("SIG")) {
            name = name.substring(3);
        }
        if (!ALLOWED.contains(name)) {
            throw new IllegalArgumentException("unknown signal \"" + text + "\"; signals: " + String.join(", ", ALLOWED));
        }
        return name;
    }
}
