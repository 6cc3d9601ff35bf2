package org.distarch.history;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * What SQLite leaves on disk, kept private. The database file is created 0600 (its WAL and shared-memory files
 * take the same mode from it): it holds the audit and every process's output reasons. sqlite-jdbc extracts its
 * native library into {@code org.sqlite.tmpdir} and deletes it only at a normal JVM exit, so a SIGKILLed master
 * used to leave one in /tmp per run; here each JVM extracts into a directory of its own
 * ({@code $XDG_RUNTIME_DIR/distarch-sqlite/PID}, else {@code TMPDIR/distarch-sqlite-USER/PID}, 0700), and the
 * directories of JVMs that are gone are removed when the next one opens a history.
 */
final class SqliteFiles {

    static final String TMPDIR_PROPERTY = "org.sqlite.tmpdir";

    private static boolean prepared;

    private SqliteFiles() {}

    /** Before the first SQLite connection of this JVM: its native library's directory; then the file. */
    static void prepare(Path database) {
        nativeDirectory();
        if (database != null && Files.isDirectory(database.toAbsolutePath().getParent())) {
            try {
                Files.createFile(database, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                        "rw-------")));
            } catch (FileAlreadyExistsException e) {
                // kept as it is: an existing file's mode is its owner's choice
            } catch (IOException | UnsupportedOperationException e) {
                // SQLite creates it then (with the umask's mode), and says so if it cannot
            }
        }
    }

    private static synchronized void nativeDirectory() {
        if (prepared || System.getProperty(TMPDIR_PROPERTY) != null) {
            prepared = true;
            return;
        }
        prepared = true;
        Path base = base();
        if (base == null) {
            return; // sqlite-jdbc's default (java.io.tmpdir), as before
        }
        long pid = ProcessHandle.current().pid();
        removeGone(base, pid);
        Path mine = base.resolve(Long.toString(pid));
        try {
            Files.createDirectories(mine, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                    "rwx------")));
        } catch (IOException | UnsupportedOperationException e) {
            return;
        }
        mine.toFile().deleteOnExit(); // after sqlite-jdbc's own files, which are registered later
        System.setProperty(TMPDIR_PROPERTY, mine.toString());
    }

    /** A directory that only this user can write to, or null when none can be made safely. */
    private static Path base() {
        String runtime = System.getenv("XDG_RUNTIME_DIR");
        Path base = runtime != null && !runtime.isBlank() && Files.isDirectory(Path.of(runtime))
                ? Path.of(runtime, "distarch-sqlite")
                : Path.of(System.getProperty("java.io.tmpdir"), "distarch-sqlite-"
                        + System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_"));
        try {
            Files.createDirectories(base, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                    "rwx------")));
            // In a shared /tmp someone else may have made it first: use it only if it is ours and private.
            if (!Files.isDirectory(base, LinkOption.NOFOLLOW_LINKS)
                    || !Files.getOwner(base, LinkOption.NOFOLLOW_LINKS).getName()
                            .equals(System.getProperty("user.name"))
                    || !PosixFilePermissions.toString(Files.getPosixFilePermissions(base, LinkOption.NOFOLLOW_LINKS))
                            .equals("rwx------")) {
                return null;
            }
            return base;
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    /** Removes the directories of JVMs that are no longer alive (a SIGKILLed master's library among them). */
    private static void removeGone(Path base, long self) {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(base)) {
            for (Path dir : dirs) {
                long pid;
                try {
                    pid = Long.parseLong(dir.getFileName().toString());
                } catch (NumberFormatException e) {
                    continue;
                }
                if (pid != self && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    continue;
                }
                if (pid != self) {
                    deleteTree(dir);
                }
            }
        } catch (IOException e) {
            // nothing to clean, or not allowed: the next start tries again
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // left for the next start
                }
            });
        } catch (IOException e) {
            // left for the next start
        }
    }
}
