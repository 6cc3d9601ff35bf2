package org.distarch.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.distarch.launch.local.Accounts;

/**
 * How a service started by root runs as another user ({@code --user}, {@code --group}): the service's
 * command is prefixed with {@code setpriv --reuid U --regid G --init-groups --} (util-linux), so the
 * master and every worker it starts run as that user, with the user's groups and no capabilities left.
 * Accounts are looked up with {@code getent} (so NSS users such as LDAP ones work), else in
 * {@code /etc/passwd} and {@code /etc/group}.
 */
final class PrivilegeDrop {

    private final String user;
    private final int uid;
    private final String group;
    private final int gid;
    private final String home;

    private PrivilegeDrop(String user, int uid, String group, int gid, String home) {
        this.user = user;
        this.uid = uid;
        this.group = group;
        this.gid = gid;
        this.home = home;
    }

    /**
     * Looks up the account; {@code group} null means the user's primary group.
     *
     * @throws IllegalArgumentException with a readable message when the user or group does not exist
     */
    static PrivilegeDrop resolve(String user, String group) {
        String[] pw = lookup("passwd", user)
                .orElseThrow(() -> new IllegalArgumentException("--user " + user + ": no such user"));
        int uid = Integer.parseInt(pw[2]);
        int primary = Integer.parseInt(pw[3]);
        String[] gr = group != null
                ? lookup("group", group).orElseThrow(() -> new IllegalArgumentException("--group " + group + ": no such group"))
                : lookup("group", Integer.toString(primary)).orElse(new String[] {Integer.toString(primary), "x",
                        Integer.toString(primary)});
        return new PrivilegeDrop(pw[0], uid, gr[0], Integer.parseInt(gr[2]), pw.length > 5 ? pw[5] : "/");
    }

    String user() {
        return user;
    }

    int uid() {
        return uid;
    }

    String group() {
        return group;
    }

    int gid() {
        return gid;
    }

    /** The words that run a command as the user: {@code setpriv --reuid U --regid G --init-groups --}. */
    List<String> wrapper() {
        return List.of("setpriv", "--reuid", Integer.toString(uid), "--regid", Integer.toString(gid), "--init-groups",
                "--");
    }

    /** The environment variables that must name the user, not root (the rest is kept: the config may use it). */
    Map<String, String> environment() {
        return Map.of("HOME", home, "USER", user, "LOGNAME", user);
    }

    /** Makes the user (and the group) own {@code path}. */
    void own(Path path) throws IOException {
        UserPrincipalLookupService names = path.getFileSystem().getUserPrincipalLookupService();
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
        view.setOwner(names.lookupPrincipalByName(user));
        view.setGroup(names.lookupPrincipalByGroupName(group));
    }

    /** One entry of an account database ({@code passwd} or {@code group}) split on ':', by name or by number. */
    static Optional<String[]> lookup(String database, String key) {
        return Accounts.lookup(database, key);
    }
}
