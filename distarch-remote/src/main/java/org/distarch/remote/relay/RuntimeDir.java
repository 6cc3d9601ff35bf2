package org.distarch.remote.relay;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Set;

/**
 * The directory where a relay keeps its locks: the user's own and no one else's. {@code $XDG_RUNTIME_DIR/distarch}
 * when the session has one (made by the login manager, owned by the user), else {@code ~/.distarch/run}. Never a
 * name in world-writable {@code /tmp}, where any local user could take the name first and hold a remote group
 * hostage, or plant a symbolic link. Created with mode 0700; refused, with the reason, if it belongs to another
 * user, is a link, or others may enter it.
 */
final class RuntimeDir {

    private RuntimeDir() {}

    static Path ensure() throws IOException {
        String runtime = System.getenv("XDG_RUNTIME_DIR");
        Path dir = runtime != null && !runtime.isBlank() && Files.isDirectory(Path.of(runtime))
                ? Path.of(runtime, "distarch")
                : Path.of(System.getProperty("user.home"), ".distarch", "run");
        return ensure(dir);
    }

    static Path ensure(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(dir.getParent());
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                // made meanwhile (another relay): checked below like any other
            }
        }
        if (Files.isSymbolicLink(dir) || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(dir + " is not a directory of its own (a link, or a file): remove it");
        }
        UserPrincipal me = dir.getFileSystem().getUserPrincipalLookupService()
                .lookupPrincipalByName(System.getProperty("user.name"));
        UserPrincipal owner = Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS);
        if (!owner.equals(me)) {
            throw new IOException(dir + " belongs to " + owner.getName() + ", not to " + me.getName() + ": remove it");
        }
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
        if (perms.stream().anyMatch(p -> p.name().startsWith("GROUP_") || p.name().startsWith("OTHERS_"))) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
        return dir;
    }
}
