package org.distarch.it.hosts;

import java.time.Duration;

/** What a finished command (local, or on a test host over SSH) left behind. */
public record CommandResult(int exitCode, String stdout, String stderr, Duration elapsed) {

    public boolean succeeded() {
        return exitCode == 0;
    }

    /** Standard output without the trailing newline, the way a shell's {@code $(...)} gives it. */
    public String out() {
        return stdout.strip();
    }

    @Override
    public String toString() {
        return "exit " + exitCode + " after " + elapsed.toMillis() + " ms; stdout: " + stdout.strip()
                + "; stderr: " + stderr.strip();
    }
}
