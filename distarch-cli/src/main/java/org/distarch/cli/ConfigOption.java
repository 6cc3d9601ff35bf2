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
