package org.distarch.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code --version}: the version and the commit the build was made from, and whether tracked files had changes
 * not committed then (version.properties, filled by the build).
 */
final class VersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() {
        Properties build = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                build.load(in);
            }
        } catch (IOException e) {
            // an unreadable resource: say what is known
        }
        String version = build.getProperty("version", "development build");
        String commit = build.getProperty("commit", "unknown");
        if (commit.isBlank() || commit.startsWith("${")) {
            commit = "unknown"; // built outside a git checkout
        }
        // A build from a work tree with changes not yet committed is not that commit: say so.
        String modified = "true".equals(build.getProperty("modified")) ? ", with changes not committed" : "";
        return new String[] {"distarch " + version + " (commit " + commit + modified + ")"};
    }
}
