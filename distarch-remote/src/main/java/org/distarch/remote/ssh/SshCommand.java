package org.distarch.remote.ssh;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.distarch.launch.RemoteTarget;

/**
 * The {@code ssh} command line for one relay session: the system's OpenSSH client, so that the user's
 * ~/.ssh/config, agent, jump hosts and known_hosts work as they already do; non-interactive (BatchMode),
 * with a connect timeout and keepalives so that a dead network is noticed. The relay runs through the same
 * launcher as the master, in the instances' directory (same layout on every machine).
 */
public record SshCommand(List<String> sshPrefix, List<String> relayLauncher) {

    /**
     * @param configFile  an ssh client config to use instead of ~/.ssh/config, or null
     * @param extraOptions more {@code -o} options (e.g. {@code StrictHostKeyChecking=accept-new}, unsafe)
     */
    public static SshCommand of(Path configFile, List<String> extraOptions, List<String> relayLauncher) {
        List<String> prefix = new ArrayList<>(List.of("ssh", "-T", "-o", "BatchMode=yes", "-o", "ConnectTimeout=5",
                "-o", "ServerAliveInterval=2", "-o", "ServerAliveCountMax=3"));
        if (configFile != null) {
            prefix.add("-F");
            prefix.add(configFile.toString());
        }
        for (String option : extraOptions) {
            prefix.add("-o");
            prefix.add(option);
        }
        return new SshCommand(List.copyOf(prefix), List.copyOf(relayLauncher));
    }

    /** The whole command for one target, with the relay started in {@code directory} on the host. */
    public List<String> forTarget(RemoteTarget target, Path directory) {
        List<String> command = new ArrayList<>(sshPrefix);
        if (target.username() != null) {
            command.add("-l");
            command.add(target.username());
        }
        if (target.privateKey() != null) {
            command.add("-i");
            command.add(target.privateKey());
        }
        command.add(target.host());
        command.add("--");
        StringBuilder remote = new StringBuilder();
        if (directory != null) {
            remote.append("cd ").append(quote(directory.toString())).append(" && ");
        }
        remote.append("exec");
        relayLauncher.forEach(w -> remote.append(' ').append(quote(w)));
        remote.append(' ').append(quote(RELAY_COMMAND));
        command.add(remote.toString());
        return command;
    }

    /** The hidden command that starts a relay. */
    public static final String RELAY_COMMAND = "__relay";

    /** Single-quotes a word for the remote POSIX shell. */
    static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
