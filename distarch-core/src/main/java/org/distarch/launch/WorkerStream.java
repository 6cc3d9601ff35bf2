package org.distarch.launch;

import java.util.Locale;

/** Which of a worker's output streams a line came from: every line keeps it, local and remote alike. */
public enum WorkerStream {
    STDOUT, STDERR;

    /** Lower-case name, as the relay protocol, the control socket and the logs write it. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The stream of a wire name; null for anything else. */
    public static WorkerStream ofWireName(String name) {
        return "stdout".equals(name) ? STDOUT : "stderr".equals(name) ? STDERR : null;
    }
}
