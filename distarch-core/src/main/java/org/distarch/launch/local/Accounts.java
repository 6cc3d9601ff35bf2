package org.distarch.launch.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * This machine's user accounts: entries looked up with {@code getent} (so NSS users such as LDAP ones work),
 * else in {@code /etc/passwd} and {@code /etc/group}; and whether this process runs as root.
 */
public final class Accounts {

    /** One user: its name, uid, primary gid and home directory. */
    public record Account(String name, int uid, int gid, String home) {}

    private Accounts() {}

    /** The user {@code name} (or uid), if this machine has it. */
    public static Optional<Account> user(String name) {
        return lookup("passwd", name).filter(e -> e.length > 3).map(e -> new Account(e[0], Integer.parseInt(e[2]),
                Integer.parseInt(e[3]), e.length > 5 && !e[5].isEmpty() ? e[5] : "/"));
    }

    /** Whether this process runs as root (uid 0), from /proc; else by its user name. */
    public static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.UTF_8)) {
                if (line.startsWith("Uid:")) {
                    return line.substring(4).trim().split("\\s+")[1].equals("0"); // the effective uid
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall back to the name
        }
        return "root".equals(System.getProperty("user.name"));
    }

    /** The name this process runs as. */
    public static String me() {
        return System.getProperty("user.name");
    }

    /** One entry of an account database ({@code passwd} or {@code group}) split on ':', by name or by number. */
    public static Optional<String[]> lookup(String database, String key) {
        if (Which.find("getent") != null) {
            try {
                Process p = new ProcessBuilder("getent", database, key).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 && !out.isEmpty()) {
                    return Optional.of(out.split("\n")[0].split(":", -1));
                }
                return Optional.empty();
            } catch (IOException e) {
                // fall back to the files
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        try {
            List<String> lines = Files.readAllLines(Path.of("/etc", database), StandardCharsets.UTF_8);
            return lines.stream().map(line -> line.split(":", -1))
                    .filter(e -> e.length > 3 && (e[0].equals(key) || e[2].equals(key))).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
