package org.distarch.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Where a master's HTTP API is, and its access token, in files rather than its log: a log is copied, shipped and
 * kept, a file readable by the master's user only is not. {@code run-master} writes them beside its pid file:
 * {@code NAME.admin-url} (where it listens, so that scripts and tests find an {@code auto} port) and, with no users
 * configured, {@code NAME.admin-token} (its random access token, mode 0600 from the moment it exists). An embedded
 * master has no pid file: its token goes into a directory of its own under the temporary directory (mode 0700).
 * The files go when the master ends.
 */
final class AdminFiles implements AutoCloseable {

    private final Path url;
    private final Path token;
    private final Path directory;

    private AdminFiles(Path url, Path token, Path directory) {
        this.url = url;
        this.token = token;
        this.directory = directory;
    }

    static Path urlFile(Path pidFile) {
        return sibling(pidFile, ".admin-url");
    }

    static Path tokenFile(Path pidFile) {
        return sibling(pidFile, ".admin-token");
    }

    /** {@code run-master}'s files beside {@code pidFile}; no token file when {@code accessToken} is null. */
    static AdminFiles write(Path pidFile, String serverUrl, String accessToken) throws IOException {
        Path token = null;
        if (accessToken != null) {
            token = tokenFile(pidFile);
            writeSecret(token, accessToken);
        }
        Path url = urlFile(pidFile);
        try {
            Files.writeString(url, serverUrl + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            if (token != null) {
                Files.deleteIfExists(token); // no secret left behind for a run that reports no files
            }
            throw e;
        }
        return new AdminFiles(url, token, null);
    }

    /** An embedded master's token, in {@code distarch-admin-*}{@code /access-token} under the temporary directory. */
    static AdminFiles writePrivate(String accessToken) throws IOException {
        Path directory = Files.createTempDirectory("distarch-admin-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path token = directory.resolve("access-token");
        writeSecret(token, accessToken);
        return new AdminFiles(null, token, directory);
    }

    /** The token file, or null when there is none. */
    Path token() {
        return token;
    }

    private static void writeSecret(Path file, String secret) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, secret + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
    }

    private static Path sibling(Path pidFile, String suffix) {
        String name = pidFile.getFileName().toString();
        String base = name.endsWith(".pid") ? name.substring(0, name.length() - 4) : name;
        return pidFile.resolveSibling(base + suffix);
    }

    @Override
    public void close() {
        try {
            if (url != null) {
                Files.deleteIfExists(url);
            }
            if (token != null) {
                Files.deleteIfExists(token);
            }
            if (directory != null) {
                Files.deleteIfExists(directory);
            }
        } catch (IOException e) {
            // The master is ending; a leftover file is overwritten by the next master on this pid file.
        }
    }
}
