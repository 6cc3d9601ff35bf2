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
        return new SshCommand(List.copyOf(prefix), relayProgram(relayLauncher, RelayClassPath.sources()));
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
        relayJvm(relayLauncher).forEach(w -> remote.append(' ').append(quote(w)));
        remote.append(' ').append(quote(RELAY_COMMAND));
        command.add(remote.toString());
        return command;
    }

    /**
     * JVM options for a relay, which only moves frames and forks processes: a small heap that grows only as
     * needed (its output queue is bounded by characters, so a flood cannot outgrow it), the serial collector
     * (no per-core GC threads or G1 remembered sets), C1 only (quicker start, a smaller code cache, no C2
     * thread) and only for methods called ten times as often as by default (what runs a few hundred times while
     * the relay starts stays interpreted; its hot paths, run for every line, are still compiled),
     * capped metaspace and code cache, small thread stacks, no perf-data file in /tmp, and no class-data sharing
     * (the JDK maps its archive at a random address and relocates it, so 10 of its 12 MiB became private memory of
     * every relay, more than loading the classes the relay uses costs).
     * docs/design.md ("The relay's JVM") gives the measurements behind each. They come right after {@code java},
     * so the launcher's own options (from {@code DISTARCH_WORKER_JAVA_OPTS}) still override them.
     */
    public static final List<String> RELAY_JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-Xms4m", "-Xmx128m",
            "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=30", "-XX:MaxMetaspaceSize=48m",
            "-XX:CompressedClassSpaceSize=16m", "-Xss256k", "-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1",
            "-XX:ReservedCodeCacheSize=16m", "-XX:Tier3InvocationThreshold=2000",
            "-XX:Tier3MinInvocationThreshold=1000", "-XX:Tier3CompileThreshold=20000", "-XX:-UsePerfData",
            "-Xshare:off");

    /** The relay's own main ({@code java -cp ... RelayMain __relay}) when the relay runs from its own jars. */
    static final String RELAY_MAIN = org.distarch.remote.relay.RelayMain.class.getName();

    private static final List<String> CLASS_PATH_OPTIONS = List.of("-cp", "-classpath", "--class-path");

    /**
     * The launcher the relay starts with: for {@code java [options] -cp CLASSPATH MAIN} whose class path holds
     * every one of the relay's {@code sources} (RelayClassPath), {@code java [options] -cp SOURCES RelayMain}, so
     * that the relay's JVM opens only its own few jars and runs nothing of the application; anything else (a
     * {@code -jar}, a script, a class path that does not list them) as it is, started with {@code __relay}.
     */
    static List<String> relayProgram(List<String> launcher, java.util.Optional<List<Path>> sources) {
        int n = launcher.size();
        if (sources.isEmpty() || n < 4 || !startsJava(launcher)
                || !CLASS_PATH_OPTIONS.contains(launcher.get(n - 3))) {
            return List.copyOf(launcher);
        }
        return RelayClassPath.within(launcher.get(n - 2), sources.get()).map(classPath -> {
            List<String> words = new ArrayList<>(launcher.subList(0, n - 2));
            words.add(classPath);
            words.add(RELAY_MAIN);
            return List.copyOf(words);
        }).orElse(List.copyOf(launcher));
    }

    /** The relay launcher with {@link #RELAY_JVM_OPTIONS} after its {@code java}; anything else as it is. */
    static List<String> relayJvm(List<String> launcher) {
        if (!startsJava(launcher)) {
            return launcher;
        }
        List<String> words = new ArrayList<>(launcher.subList(0, 1));
        words.addAll(RELAY_JVM_OPTIONS);
        words.addAll(launcher.subList(1, launcher.size()));
        return words;
    }

    /** Whether the launcher's program is a {@code java} binary (whose options the relay's can go after). */
    private static boolean startsJava(List<String> launcher) {
        return !launcher.isEmpty() && Path.of(launcher.get(0)).getFileName().toString().equals("java");
    }

    /** The hidden command that starts a relay. */
    public static final String RELAY_COMMAND = "__relay";

    /** Single-quotes a word for the remote POSIX shell. */
    static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
