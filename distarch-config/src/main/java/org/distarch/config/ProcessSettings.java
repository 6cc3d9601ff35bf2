package org.distarch.config;

/**
 * The four settings that a group sets for all its processes and that a {@code local}, {@code remote},
 * feeder or consumers entry may override. A {@code null} field means "not set here: inherit".
 */
public record ProcessSettings(String binPath, String path, Integer priority, Integer timeoutSeconds) {

    public static final ProcessSettings NONE = new ProcessSettings(null, null, null, null);

    /** These settings with every field that {@code more} sets taking precedence. */
    public ProcessSettings overriddenBy(ProcessSettings more) {
        return new ProcessSettings(
                more.binPath != null ? more.binPath : binPath,
                more.path != null ? more.path : path,
                more.priority != null ? more.priority : priority,
                more.timeoutSeconds != null ? more.timeoutSeconds : timeoutSeconds);
    }
}
