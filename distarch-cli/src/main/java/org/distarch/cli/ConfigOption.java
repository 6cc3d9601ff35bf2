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
        String fingerprint;
        try {
            fingerprint = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return new org.distarch.admin.ConfigSource.Loaded(
                ConfigLoader.parse(new String(text, StandardCharsets.UTF_8), source), fingerprint);
    }

    /** Loads the chosen file, the default file, or else the application's embedded default. */
    DistarchConfig load(AppContext app) {
        if (file != null) {
            return ConfigLoader.load(file);
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
