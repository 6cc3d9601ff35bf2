package org.distarch.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * What a master writes beside its pid file about its HTTP API: {@code NAME.admin-url} (where it listens, so that
 * scripts and tests find an {@code auto} port) and, with no users configured, {@code NAME.admin-token} (its
 * random access token, mode 0600 from the moment it exists). Both go when the master ends.
 */
final class AdminFiles implements AutoCloseable {

    private final Path url;
    private final Path token;

    private AdminFiles(Path url, Path token) {
        this.url = url;
        this.token = token;
    }

    static Path urlFile(Path pidFile) {
        return sibling(pidFile, ".admin-url");
    }

    static Path tokenFile(Path pidFile) {
        return sibling(pidFile, ".admin-token");
    }

    static AdminFiles write(Path pidFile, String serverUrl, String accessToken) throws IOException {
        Path token = null;
        if (accessToken != null) {
            token = tokenFile(pidFile);
            Files.deleteIfExists(token);
            Files.createFile(token, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(token, accessToken + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
        }
        Path url = urlFile(pidFile);
        Files.writeString(url, serverUrl + "\n", StandardCharsets.UTF_8);
        return new AdminFiles(url, token);
    }

    private static Path sibling(Path pidFile, String suffix) {
        String name = pidFile.getFileName().toString();
        String base = name.endsWith(".pid") ? name.substring(0, name.length() - 4) : name;
        return pidFile.resolveSibling(base + suffix);
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(url);
            if (token != null) {
                Files.deleteIfExists(token);
            }
        } catch (IOException e) {
            // The master is ending; a leftover file is overwritten by the next master on this pid file.
        }
    }
}
