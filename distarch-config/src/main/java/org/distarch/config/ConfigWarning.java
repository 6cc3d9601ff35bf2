package org.distarch.config;

import java.util.Objects;

/**
 * Something in a valid configuration that is allowed but probably not meant, such as consumers that point at
 * their feeder's address on another port. {@code config:validate} prints warnings on stderr (exit code 0) and
 * {@code run-master} logs them at start.
 *
 * @param source  the file name (or the source name given to {@link ConfigLoader#parse})
 * @param keyPath the key the warning is about, e.g.
 *                {@code distributed_architecture.queue_groups.Q.consumers.local.port}
 * @param message what looks wrong and why
 */
public record ConfigWarning(String source, String keyPath, String message) {

    public ConfigWarning {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(keyPath, "keyPath");
        Objects.requireNonNull(message, "message");
    }

    /** The warning as one line, in the form of {@link ConfigError#format()}: {@code SOURCE: KEY.PATH: message}. */
    public String format() {
        return keyPath.isEmpty() ? source + ": " + message : source + ": " + keyPath + ": " + message;
    }

    @Override
    public String toString() {
        return format();
    }
}
