package org.distarch.launch;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Everything a launcher needs to start one worker process.
 *
 * @param command     the program and its arguments (no shell involved)
 * @param directory   working directory, or null for the master's own
 * @param environment variables added to the master's environment
 * @param priority    nice value (-19..19), or null to leave the priority alone
 */
public record LaunchSpec(List<String> command, Path directory, Map<String, String> environment, Integer priority) {

    public LaunchSpec {
        command = List.copyOf(command);
        environment = Map.copyOf(environment);
    }
}
