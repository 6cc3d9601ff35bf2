package org.distarch.bench.soak;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.distarch.testkit.TestHostsLock;

/**
 * The soak's remote hosts: {@code testhosts/testhosts.sh} (network namespaces with real OpenSSH servers), held
 * under the machine-wide test-hosts lock for the whole run, as distarch-it's TestHosts fixture holds it.
 */
final class SoakHosts implements AutoCloseable {

    private static final Duration LOCK_WAIT = Duration.ofMinutes(10);
    private static final long SCRIPT_LIMIT_S = 60;

    private final Path script;
    private final Path stateDir;
    private final Map<String, Long> initPids = new LinkedHashMap<>();
    private TestHostsLock lock;
    private boolean up;

    private SoakHosts(Path script, Path stateDir) {
        this.script = script;
        this.stateDir = stateDir;
    }

    /** Why the hosts cannot run here (not root, tools missing), or null if they can. */
    static String unavailable(Path script) throws IOException, InterruptedException {
        if (!Files.isRegularFile(script)) {
            return "no " + script + " (run bin/soak from the repository)";
        }
        Result check = run(List.of("bash", script.toString(), "check"));
        return check.code == 0 ? null : "test hosts unavailable (" + script + " check):\n" + check.output.strip();
    }

    /** Takes the lock (waiting at most 10 minutes for another build's hosts), then brings {@code count} hosts up. */
    static SoakHosts up(Path script, Path stateDir, int count) throws IOException, InterruptedException {
        SoakHosts hosts = new SoakHosts(script, stateDir);
        hosts.lock = TestHostsLock.acquire(LOCK_WAIT);
        hosts.up = true;
        try {
            hosts.script("up", Integer.toString(count), stateDir.toString());
            for (String line : Files.readAllLines(stateDir.resolve("hosts.txt"), StandardCharsets.UTF_8)) {
                String[] fields = line.split(" ");
                hosts.initPids.put(fields[0], Long.parseLong(fields[2]));
            }
            return hosts;
        } catch (IOException | RuntimeException | InterruptedException e) {
            hosts.close();
            throw e;
        }
    }

    List<String> names() {
        return List.copyOf(initPids.keySet());
    }

    /** Each host's PID 1, as a pid of this machine. */
    Map<String, Long> initPids() {
        return Map.copyOf(initPids);
    }

    Path sshConfig() {
        return stateDir.resolve("ssh_config");
    }

    /** The host's link goes down: packets vanish both ways, connections stay open. */
    void cut(String host) throws IOException, InterruptedException {
        script("cut", host);
    }

    void restore(String host) throws IOException, InterruptedException {
        script("restore", host);
    }

    /** What runs on the host besides its sshd (PID 1) and this look itself ({@code ps} and its sshd session). */
    List<String> leftOn(String host) throws IOException, InterruptedException {
        Result ps = run(List.of("ssh", "-F", sshConfig().toString(), host, "ps -eo pid=,ppid=,args="));
        if (ps.code != 0) {
            throw new IllegalStateException("ps on " + host + " failed: " + ps.output.strip());
        }
        List<String> left = new ArrayList<>();
        for (String line : ps.output.strip().split("\n")) {
            String[] f = line.strip().split("\\s+", 3);
            String args = f.length > 2 ? f[2] : "";
            boolean sshd = args.startsWith("sshd") || args.startsWith("/usr/sbin/sshd");
            if (!f[0].equals("1") && !sshd && !args.startsWith("ps -eo") && !args.startsWith("bash -c ps -eo")
                    && !args.startsWith("sh -c ps -eo")) {
                left.add(line.strip());
            }
        }
        return left;
    }

    private void script(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", script.toString()));
        command.addAll(List.of(args));
        Result result = run(command);
        if (result.code != 0) {
            throw new IllegalStateException("testhosts.sh " + String.join(" ", args) + " failed: " + result.output.strip());
        }
    }

    @Override
    public void close() {
        try {
            if (up) {
                up = false;
                script("down", stateDir.toString());
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("soak: testhosts.sh down failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (lock != null) {
                lock.close();
                lock = null;
            }
        }
    }

    private record Result(int code, String output) {}

    private static Result run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(SCRIPT_LIMIT_S, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + ": no end after " + SCRIPT_LIMIT_S + " s");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
