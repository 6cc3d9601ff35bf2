package org.distarch.launch;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.distarch.config.StopSignal;

/**
 * Everything a launcher needs to start one worker process, here or (inside a relay session) on a remote host.
 * {@link #toString()} names the environment's variables but never shows their values (secrets travel there).
 *
 * @param command     the program and its arguments (no shell involved)
 * @param directory   working directory, or null for the master's own
 * @param environment variables added to the master's environment
 * @param priority    nice value (-19..19), or null to leave the priority alone
 * @param stopSignal  the signal that asks the process to stop (with {@code stop} on its stdin)
 * @param user        the account to run it as (the launcher must run as root), or null for the launcher's own
 * @param umask       its file mode creation mask, or null to inherit the launcher's
 */
public record LaunchSpec(List<String> command, Path directory, Map<String, String> environment, Integer priority,
        StopSignal stopSignal, String user, Integer umask) {

    public LaunchSpec {
        command = List.copyOf(command);
        environment = Map.copyOf(environment);
        stopSignal = stopSignal == null ? StopSignal.TERM : stopSignal;
    }

    /** A spec with the default stop signal, the launcher's own user and umask. */
    public LaunchSpec(List<String> command, Path directory, Map<String, String> environment, Integer priority) {
        this(command, directory, environment, priority, StopSignal.TERM, null, null);
    }

    /** The same process with another environment. */
    public LaunchSpec withEnvironment(Map<String, String> environment) {
        return new LaunchSpec(command, directory, environment, priority, stopSignal, user, umask);
    }

    @Override
    public String toString() {
        return "LaunchSpec[command=" + command + ", directory=" + directory + ", environment="
                + new TreeSet<>(environment.keySet()) + " (values hidden), priority=" + priority + ", stopSignal="
                + stopSignal + ", user=" + user + ", umask=" + (umask == null ? null : String.format("%04o", umask))
                + "]";
    }
}
