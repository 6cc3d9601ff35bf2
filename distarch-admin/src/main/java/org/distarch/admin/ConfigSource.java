package org.distarch.admin;

import org.distarch.config.DistarchConfig;

/**
 * Where a reload reads the master's configuration: the file it runs (or its application's embedded default),
 * with a fingerprint of the text, so that applying a plan can tell that the file changed since it was made.
 */
@FunctionalInterface
public interface ConfigSource {

    /** The configuration and the SHA-256 of its text. */
    record Loaded(DistarchConfig config, String fingerprint) {}

    /**
     * @throws org.distarch.config.ConfigException when the file is invalid (its errors are the refusal)
     * @throws IllegalStateException               when it cannot be read
     */
    Loaded load();
}
