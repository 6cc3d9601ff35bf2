package org.distarch.config;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a group sets for how each of its processes is run and restarted, beside {@link ProcessSettings}:
 * {@code autorestart}, {@code exit_codes}, {@code stop_signal}, {@code environment}, {@code user} and
 * {@code umask}. {@link #toString()} names the environment's variables but never shows their values: they are
 * often secrets and must not reach a log.
 *
 * @param autorestart which exits are followed by a start
 * @param exitCodes   the exit codes that count as success (default {@code [0]})
 * @param stopSignal  the signal that asks a process to stop (with {@code stop} on its stdin)
 * @param environment variables added to each process's environment, already substituted
 * @param user        the account the processes run as (the master must be root), or null: the master's own
 * @param umask       the file mode creation mask (e.g. {@code 0027}), or null: the master's own
 */
public record RunOptions(Autorestart autorestart, Set<Integer> exitCodes, StopSignal stopSignal,
        Map<String, String> environment, String user, Integer umask) {

    public static final RunOptions DEFAULT =
            new RunOptions(Autorestart.ON_FAILURE, Set.of(0), StopSignal.TERM, Map.of(), null, null);

    public RunOptions {
        Objects.requireNonNull(autorestart, "autorestart");
        Objects.requireNonNull(stopSignal, "stopSignal");
        exitCodes = Set.copyOf(exitCodes);
        environment = Map.copyOf(environment);
    }

    /** Whether {@code code} (a plain exit, not a death by signal) counts as success. */
    public boolean success(int code) {
        return exitCodes.contains(code);
    }

    /** The umask as a user writes it, {@code 0027}, or null. */
    public String umaskText() {
        return umask == null ? null : String.format("%04o", umask);
    }

    @Override
    public String toString() {
        return "RunOptions[autorestart=" + autorestart.word() + ", exitCodes=" + new TreeSet<>(exitCodes)
                + ", stopSignal=" + stopSignal + ", environment=" + new TreeSet<>(environment.keySet())
                + " (values hidden), user=" + user + ", umask=" + umaskText() + "]";
    }
}
