package org.distarch.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.distarch.config.ConfigLoader;
import org.distarch.config.DistarchConfig;
import picocli.CommandLine.Option;

/** {@code --config FILE}, shared by the commands that read a configuration. */
final class ConfigOption {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Configuration file (default: " + ConfigLoader.DEFAULT_PATH + ").")
    Path file;

    /**
     * As {@link #load}, with the SHA-256 of the text: what the HTTP API's two-step reload compares to tell that
     * the file changed between the plan and its apply.
     */
    org.distarch.admin.ConfigSource.Loaded loadWithFingerprint(AppContext app) {
        if (file == null && app != null && app.configSource() != null) {
            // Read by the application's framework, not from a text of ours: the fingerprint is of what it read.
            DistarchConfig read = app.configSource().get();
            return new org.distarch.admin.ConfigSource.Loaded(read, sha256(read.toString().getBytes(
                    StandardCharsets.UTF_8)));
        }
        Path chosen = file != null ? file : Path.of(ConfigLoader.DEFAULT_PATH);
        byte[] text;
        String source;
        if (file != null || Files.exists(chosen) || app == null || app.defaultConfigResource() == null) {
            try {
                text = Files.readAllBytes(chosen);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + chosen.toAbsolutePath() + ": " + e.getMessage(), e);
            }
            source = chosen.toString();
        } else {
            try (InputStream in = app.mainClass().getClassLoader().getResourceAsStream(app.defaultConfigResource())) {
                if (in == null) {
                    throw new IllegalStateException("embedded configuration " + app.defaultConfigResource()
                            + " is missing from the class path");
                }
                text = in.readAllBytes();
            } catch (IOException e) {
                throw new IllegalStateException("cannot read classpath:" + app.defaultConfigResource() + ": "
                        + e.getMessage(), e);
            }
            source = "classpath:" + app.defaultConfigResource();
        }
        return new org.distarch.admin.ConfigSource.Loaded(
                ConfigLoader.parse(new String(text, StandardCharsets.UTF_8), source), sha256(text));
    }

    static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Loads the chosen file, else the application's own configuration source, else the default file, or else
     * the application's embedded default.
     */
    DistarchConfig load(AppContext app) {
        if (file != null) {
            return ConfigLoader.load(file);
        }
        if (app != null && app.configSource() != null) {
            return app.configSource().get();
        }
        Path standard = Path.of(ConfigLoader.DEFAULT_PATH);
        if (Files.exists(standard) || app == null || app.defaultConfigResource() == null) {
            return ConfigLoader.load(standard);
        }
        String resource = app.defaultConfigResource();
        try (InputStream in = app.mainClass().getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("embedded configuration " + resource + " is missing from the class path");
            }
            return ConfigLoader.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "classpath:" + resource);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read classpath:" + resource + ": " + e.getMessage(), e);
        }
    }
}
