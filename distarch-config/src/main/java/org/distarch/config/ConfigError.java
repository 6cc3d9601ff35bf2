package org.distarch.config;

import java.util.Objects;

/**
 * One problem found in a configuration file.
 *
 * @param source  the file name (or the source name given to {@link ConfigLoader#parse})
 * @param keyPath where the problem is, e.g. {@code distributed_architecture.groups."First Group".local};
 *                empty when it concerns the whole file
 * @param message what is wrong, in words a user can act on
 * @param line    1-based line, set for YAML syntax errors, else null
 * @param column  1-based column, set for YAML syntax errors, else null
 */
public record ConfigError(String source, String keyPath, String message, Integer line, Integer column) {

    public ConfigError {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(keyPath, "keyPath");
        Objects.requireNonNull(message, "message");
    }

    /**
     * The key path of {@code keys} under the root key, quoted as the loader quotes it:
     * {@code keyPath("groups", "First Group", "command")} is {@code distributed_architecture.groups."First Group".command}.
     */
    public static String keyPath(String... keys) {
        KeyPath path = KeyPath.ROOT.key(Schema.ROOT_KEY);
        for (String key : keys) {
            path = path.key(key);
        }
        return path.toString();
    }

    /** An error about the value at {@code keyPath}. */
    public static ConfigError at(String source, String keyPath, String message) {
        return new ConfigError(source, keyPath, message, null, null);
    }

    /**
     * The error as one line: {@code SOURCE: KEY.PATH: message}, {@code SOURCE: message} without a key path,
     * or {@code SOURCE:LINE:COLUMN: message} when the position is known.
     */
    public String format() {
        if (line != null) {
            return source + ":" + line + ":" + (column == null ? 1 : column) + ": " + message;
        }
        return keyPath.isEmpty() ? source + ": " + message : source + ": " + keyPath + ": " + message;
    }

    @Override
    public String toString() {
        return format();
    }
}
