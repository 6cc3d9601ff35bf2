package org.distarch.it.hosts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.distarch.testkit.TestHostsLock;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Real remote hosts for SSH tests, on this one machine: {@code testhosts/testhosts.sh} makes hosts
 * {@code da-h1..da-hN}, each a network, pid, UTS and mount namespace with its own address, hostname,
 * process table and {@code /root}, running a real OpenSSH server; {@code /tmp}, {@code /etc}, {@code /usr}
 * and the repository are shared, so the same java and class path work on every host.
 *
 * <pre>
 * &#64;RegisterExtension
 * static final TestHosts HOSTS = TestHosts.of(3);   // up before the class's tests, down after them
 *
 * &#64;Test
 * void runsRemotely() {
 *     assertThat(HOSTS.ssh("da-h2", "hostname").out()).isEqualTo("da-h2");
 *     // the launcher under test gets: ssh -F HOSTS.sshConfig() da-h2 ...
 * }
 * </pre>
 *
 * Outside JUnit: {@code try (TestHosts hosts = TestHosts.of(2).start()) { ... }}.
 *
 * <p>Where the machine cannot run them (not root, tools missing, no namespaces) the tests are skipped
 * with the reason; with {@code -Ddistarch.testhosts.required=true} (or the environment variable
 * {@code DISTARCH_TESTHOSTS_REQUIRED=true}, for CI) they fail instead. The host names and the bridge are
 * machine-wide, so one fixture at a time holds them: others, in this JVM or another build, wait (bounded)
 * on a lock file.
 */
public final class TestHosts implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback, AutoCloseable {

    /** Host names are this prefix and 1..N. */
    public static final String PREFIX = "da-h";

    private static final Duration SCRIPT_LIMIT = Duration.ofSeconds(60);
    private static final Duration SSH_LIMIT = Duration.ofSeconds(30);
    private static final Duration LOCK_WAIT = Duration.ofMinutes(20);

    private final int count;
    private final Path stateDir;
    private final Path script;
    private final Map<String, String> addresses = new LinkedHashMap<>();
    private TestHostsLock lock;
    private boolean up;
    private String unavailable;

    private TestHosts(int count, Path stateDir) {
        if (count < 1 || count > 99) {
            throw new IllegalArgumentException("1 to 99 hosts, not " + count);
        }
        this.count = count;
        this.stateDir = stateDir;
        this.script = findScript();
    }

    /** A fixture for {@code count} hosts; nothing runs before {@link #start()} (or JUnit's before-all). */
    public static TestHosts of(int count) {
        return new TestHosts(count, Path.of(System.getProperty("distarch.testhosts.dir", "/tmp/distarch-testhosts")));
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        unavailable = unavailableReason();
        if (unavailable == null) {
            bringUp();
        } else {
            // Skipped test by test (in beforeEach): a class-level abort shows in the reports as nothing at all.
            System.out.println(unavailable);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (unavailable != null) {
            Assumptions.abort(unavailable);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    /**
     * Brings the hosts up (after tearing down whatever an earlier run left), or skips the calling test
     * with the reason when this machine cannot.
     */
    public TestHosts start() {
        if (!up) {
            String reason = unavailableReason();
            if (reason != null) {
                Assumptions.abort(reason);
            }
            bringUp();
        }
        return this;
    }

    private void bringUp() {
        if (lock == null) {
            lock = TestHostsLock.acquire(LOCK_WAIT);
        }
        up = true; // from here on, close() tears down whatever exists
        try {
            CommandResult result = Commands.run(
                    List.of("bash", script.toString(), "up", Integer.toString(count), stateDir.toString()), SCRIPT_LIMIT);
            if (!result.succeeded()) {
                throw new IllegalStateException("testhosts.sh up " + count + " failed: " + result);
            }
            readHosts();
            System.out.printf("testhosts: %d hosts up in %d ms (%s)%n", count, result.elapsed().toMillis(), stateDir);
        } catch (RuntimeException | Error e) {
            try {
                close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** Stops every host (and every process on it) and removes namespaces, bridge and state. Idempotent. */
    public void down() {
        try {
            tearDown();
        } finally {
            releaseLock();
        }
    }

    /**
     * As {@link #down()}, but keeps the machine-wide hosts lock until {@link #down()} or {@link #close()}: a test
     * that checks what down left must not see another build's hosts, started the moment the lock goes.
     */
    public void downHoldingLock() {
        tearDown();
    }

    private void tearDown() {
        if (!up) {
            return;
        }
        CommandResult result = Commands.run(List.of("bash", script.toString(), "down", stateDir.toString()), SCRIPT_LIMIT);
        if (!result.succeeded()) {
            throw new IllegalStateException("testhosts.sh down failed: " + result);
        }
        System.out.printf("testhosts: down in %d ms%n", result.elapsed().toMillis());
        up = false;
        addresses.clear();
    }

    @Override
    public void close() {
        down();
        releaseLock();
    }

    // ------------------------------------------------------------------------------------------ the hosts

    /** {@code da-h1..da-hN}. */
    public List<String> names() {
        requireUp();
        return List.copyOf(addresses.keySet());
    }

    /** The name of host {@code i}, counting from 1. */
    public String host(int i) {
        requireUp();
        return requireHost(PREFIX + i);
    }

    /** The host's IPv4 address (10.231.0.(10+i)). */
    public String address(String host) {
        requireUp();
        return addresses.get(requireHost(host));
    }

    /** This machine's address on the test network: what the hosts see as the connecting client. */
    public String masterAddress() {
        return "10.231.0.1";
    }

    public Path stateDir() {
        return stateDir;
    }

    /** {@code ssh -F sshConfig() da-hI ...} reaches host I (also by address) with everything below. */
    public Path sshConfig() {
        return stateDir.resolve("ssh_config");
    }

    public Path clientKey() {
        return stateDir.resolve("client_key");
    }

    public Path knownHosts() {
        return stateDir.resolve("known_hosts");
    }

    /** The host's {@code /root}, as a directory of this machine. */
    public Path homeOf(String host) {
        return stateDir.resolve("hosts").resolve(requireHost(host)).resolve("root");
    }

    /** The host's sshd log (LogLevel VERBOSE): connections, keys, sessions. */
    public Path sshdLogOf(String host) {
        return stateDir.resolve("hosts").resolve(requireHost(host)).resolve("sshd.log");
    }

    // ------------------------------------------------------------------------------------------ commands

    /** The command line for ssh to the host, for tests that start and watch ssh themselves. */
    public List<String> sshCommand(String host, String... remoteCommand) {
        List<String> command = new ArrayList<>(List.of("ssh", "-F", sshConfig().toString(), requireHost(host)));
        command.addAll(List.of(remoteCommand));
        return command;
    }

    /**
     * Runs a shell command on the host (stdin empty) to its end, within 30 s. Background jobs must
     * redirect their output, or ssh waits for them: {@code "sleep 60 >/dev/null 2>&1 &"}.
     */
    public CommandResult ssh(String host, String command) {
        return ssh(host, command, SSH_LIMIT);
    }

    public CommandResult ssh(String host, String command, Duration limit) {
        requireUp();
        return Commands.run(sshCommand(host, command), limit);
    }

    /** The host's own process table (its sshd is PID 1; this machine's processes are not in it). */
    public List<HostProcess> processesOn(String host) {
        CommandResult ps = ssh(host, "ps -eo pid=,args=");
        if (!ps.succeeded()) {
            throw new IllegalStateException("ps on " + host + ": " + ps);
        }
        return ps.stdout().lines().map(String::strip).filter(l -> !l.isEmpty()).map(HostProcess::parse).toList();
    }

    /**
     * Makes the host unreachable without closing any connection (its veth goes down; packets vanish
     * both ways): an open ssh (ServerAlive 1 s x 3) exits with 255 after 3-4 s; a new one fails after
     * ConnectTimeout (3 s, "Connection timed out"). Processes on the host keep running.
     */
    public void cut(String host) {
        script("cut", requireHost(host));
    }

    public void restore(String host) {
        script("restore", requireHost(host));
    }

    /** Gives the host a new host key: ssh to it now fails with "Host key verification failed". */
    public void rekey(String host) {
        script("rekey", requireHost(host), stateDir.toString());
    }

    /** Makes known_hosts accept the host's current key again (after {@link #rekey}). */
    public void trust(String host) {
        script("trust", requireHost(host), stateDir.toString());
    }

    /** One process in a host's process table. */
    public record HostProcess(long pid, String commandLine) {
        static HostProcess parse(String line) {
            String[] parts = line.split("\\s+", 2);
            return new HostProcess(Long.parseLong(parts[0]), parts.length > 1 ? parts[1] : "");
        }
    }

    // ------------------------------------------------------------------------------------------ internals

    private void script(String... args) {
        requireUp();
        List<String> command = new ArrayList<>(List.of("bash", script.toString()));
        command.addAll(List.of(args));
        CommandResult result = Commands.run(command, SCRIPT_LIMIT);
        if (!result.succeeded()) {
            throw new IllegalStateException("testhosts.sh " + String.join(" ", args) + " failed: " + result);
        }
    }

    private void readHosts() {
        try {
            for (String line : Files.readAllLines(stateDir.resolve("hosts.txt"), StandardCharsets.UTF_8)) {
                String[] fields = line.split(" ");
                addresses.put(fields[0], fields[1]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void requireUp() {
        if (!up) {
            throw new IllegalStateException("test hosts are not up");
        }
    }

    private String requireHost(String host) {
        if (!addresses.containsKey(host)) {
            throw new IllegalArgumentException("no test host " + host + " (hosts: " + addresses.keySet() + ")");
        }
        return host;
    }

    /** Why this machine cannot run test hosts, or null if it can; throws if they are required. */
    private String unavailableReason() {
        CommandResult check = Commands.run(List.of("bash", script.toString(), "check"), SCRIPT_LIMIT);
        if (check.succeeded()) {
            return null;
        }
        String reason = "test hosts unavailable on this machine (" + script + " check):\n" + check.stdout().strip();
        if (required()) {
            throw new IllegalStateException(reason + "\n(and they are required: distarch.testhosts.required)");
        }
        return reason;
    }

    private static boolean required() {
        return Boolean.getBoolean("distarch.testhosts.required")
                || "true".equalsIgnoreCase(System.getenv("DISTARCH_TESTHOSTS_REQUIRED"));
    }

    /** testhosts/testhosts.sh in the nearest directory above the working directory that has one. */
    private static Path findScript() {
        String override = System.getProperty("distarch.testhosts.script");
        if (override != null) {
            return Path.of(override).toAbsolutePath();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("testhosts").resolve("testhosts.sh");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no testhosts/testhosts.sh above " + Path.of("").toAbsolutePath());
    }

    private void releaseLock() {
        if (lock != null) {
            lock.close();
            lock = null;
        }
    }
}
