package org.distarch.bench.soak;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One look at this machine's process table ({@code /proc}): the soak's processes, wherever they run. The test
 * hosts are pid namespaces below this one, so their processes are in this {@code /proc} too; the pid namespace
 * tells on which host a process runs. A soak process carries {@code SOAK_RUN=<token>} in its environment (the
 * groups' {@code environment}), so another build's workers never count; relays are found by their command line
 * ({@code __relay}) on the soak's hosts.
 */
final class Census {

    static final String LOCAL = "localhost";

    /**
     * One process: where it runs, which instance it belongs to ({@code id} 0: none, a relay); {@code orphan}: its
     * parent is its machine's (or host's) init, the one that started it is gone.
     */
    record Proc(long pid, long ppid, char state, String host, String group, int id, String role, String comm,
                boolean relay, boolean orphan) {
        /** Stopped (SIGSTOP) or traced: alive, but not running. */
        boolean stopped() {
            return state == 'T' || state == 't';
        }
    }

    private final String token;
    private final Map<String, String> hostByPidNamespace;
    private final Set<Long> inits = new HashSet<>(List.of(1L));

    /** {@code hostInitPids}: each test host's PID 1 as a pid of this machine. */
    Census(String token, Map<String, Long> hostInitPids) {
        this.token = token;
        this.hostByPidNamespace = new HashMap<>();
        for (Map.Entry<String, Long> host : hostInitPids.entrySet()) {
            String ns = pidNamespace(host.getValue());
            if (ns == null) {
                throw new IllegalStateException("host " + host.getKey() + ": no process " + host.getValue());
            }
            hostByPidNamespace.put(ns, host.getKey());
            inits.add(host.getValue());
        }
    }

    /** The soak's processes now (zombies excluded: they are dead, waiting to be reaped). */
    List<Proc> take() {
        List<Proc> found = new ArrayList<>();
        String marker = "SOAK_RUN=" + token;
        try (DirectoryStream<Path> proc = Files.newDirectoryStream(Path.of("/proc"), p -> isPid(p.getFileName().toString()))) {
            for (Path dir : proc) {
                long pid = Long.parseLong(dir.getFileName().toString());
                Proc p = read(pid, dir, marker);
                if (p != null) {
                    found.add(p);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
        return found;
    }

    /**
     * The instances: for each {@code DA_ID}, its processes that are not children of a process of the same
     * instance (a worker's own children, e.g. a shell's {@code sleep}, belong to that copy) and not a {@code sleep}
     * left behind by a killed shell worker. Two entries for one id are two copies of the instance.
     */
    static Map<Integer, List<Proc>> instances(List<Proc> procs) {
        Map<Long, Proc> byPid = new HashMap<>();
        for (Proc p : procs) {
            byPid.put(p.pid(), p);
        }
        Map<Integer, List<Proc>> copies = new HashMap<>();
        for (Proc p : procs) {
            if (p.id() == 0 || p.relay() || "sleep".equals(p.comm())) {
                continue;
            }
            Proc parent = byPid.get(p.ppid());
            if (parent != null && parent.id() == p.id()) {
                continue;
            }
            copies.computeIfAbsent(p.id(), k -> new ArrayList<>()).add(p);
        }
        return copies;
    }

    private Proc read(long pid, Path dir, String marker) {
        try {
            String ns = pidNamespace(pid);
            String host = ns == null ? null : hostByPidNamespace.getOrDefault(ns, LOCAL);
            if (host == null) {
                return null;
            }
            String stat = Files.readString(dir.resolve("stat"), StandardCharsets.UTF_8);
            int close = stat.lastIndexOf(')');
            String comm = stat.substring(stat.indexOf('(') + 1, close);
            String[] fields = stat.substring(close + 2).split(" ");
            char state = fields[0].charAt(0);
            long ppid = Long.parseLong(fields[1]);
            if (state == 'Z' || state == 'X') {
                return null;
            }
            if (!LOCAL.equals(host)) {
                String cmdline = new String(Files.readAllBytes(dir.resolve("cmdline")), StandardCharsets.UTF_8);
                if (cmdline.contains("__relay")) {
                    return new Proc(pid, ppid, state, host, null, 0, "relay", comm, true, inits.contains(ppid));
                }
            }
            Map<String, String> env = environment(Files.readAllBytes(dir.resolve("environ")), marker);
            if (env == null) {
                return null;
            }
            String id = env.get("DA_ID");
            return new Proc(pid, ppid, state, host, env.get("DA_GROUP_NAME"), id == null ? 0 : Integer.parseInt(id),
                    env.get("DA_QUEUE_ROLE"), comm, false, inits.contains(ppid));
        } catch (IOException | RuntimeException e) {
            return null; // gone while we looked, or a kernel thread: not one of ours
        }
    }

    private static final Set<String> WANTED = new HashSet<>(List.of("DA_ID", "DA_GROUP_NAME", "DA_QUEUE_ROLE"));

    /** The wanted DA_* variables, or null if the environment lacks the marker. */
    private static Map<String, String> environment(byte[] environ, String marker) {
        String all = new String(environ, StandardCharsets.UTF_8);
        boolean ours = false;
        Map<String, String> env = new HashMap<>();
        for (String entry : all.split("\0")) {
            if (entry.equals(marker)) {
                ours = true;
            }
            int eq = entry.indexOf('=');
            if (eq > 0 && WANTED.contains(entry.substring(0, eq))) {
                env.put(entry.substring(0, eq), entry.substring(eq + 1));
            }
        }
        return ours ? env : null;
    }

    private static String pidNamespace(long pid) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/pid")).toString();
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean isPid(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (!Character.isDigit(name.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
