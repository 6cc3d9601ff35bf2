package org.distarch.launch.local;

import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.distarch.launch.LaunchException;
import org.distarch.launch.LaunchSpec;
import org.distarch.launch.LaunchedWorker;
import org.distarch.launch.Launcher;
import org.distarch.launch.LineHandler;

/**
 * Starts workers as local child processes.
 *
 * <p>Each worker runs in a session of its own: {@code posix_spawn} calls setsid() in the child before its first
 * exec ({@code POSIX_SPAWN_SETSID}; with an older C library the {@code setsid} program comes first instead, one
 * exec more per worker). The session gives it a process group of its own (so the whole tree can be signalled,
 * and the terminal's Ctrl-C reaches only the master, which then stops the fleet in order). It reaches its own
 * program through {@code nice}, {@code setpriv} and one {@code sh} ({@link WorkerCommand}): the parent-death
 * signal makes it hear of a master killed with SIGKILL, and the {@code sh} ends it when the master died before
 * the signal was set.
 *
 * <p>All processes are spawned from one long-lived thread: Linux sends the parent-death signal when the
 * <em>thread</em> that forked the child ends, not when the JVM does. They are spawned with {@code posix_spawn}
 * rather than {@link ProcessBuilder} (whose every child holds a JDK reaper thread), and one {@link OutputLoop}
 * reads every worker's output and learns of every exit: the launcher's threads do not grow with the workers.
 */
public final class LocalLauncher implements Launcher {

    private final ExecutorService spawner;
    private final WorkerCommand.Tools tools;
    /** Sessions made by posix_spawn itself; else by the setsid program, when there is one (first in the command). */
    private final boolean spawnSessions;
    private final long pid = ProcessHandle.current().pid();
    private final int maxLineBytes;
    private final ProcessSignaller signaller = new ProcessSignaller();
    private final OutputLoop loop = outputLoop();
    private volatile WorkerCgroups cgroups;

    public LocalLauncher(int maxLineBytes) {
        this.maxLineBytes = maxLineBytes;
        this.spawnSessions = NativeSpawn.canStartSessions();
        this.tools = new WorkerCommand.Tools(spawnSessions ? null : Which.find("setsid"), Which.find("nice"),
                Which.find("setpriv"));
        this.spawner = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "distarch-spawner");
            t.setDaemon(true);
            return t;
        });
    }

    /** Every worker started from now on runs in a cgroup of its own there (see {@link WorkerCgroups}). */
    public void useCgroups(WorkerCgroups cgroups) {
        this.cgroups = cgroups;
    }

    /** The output loop, or a sentence when the C library cannot be reached (JNA unpacks a native library first). */
    private static OutputLoop outputLoop() {
        try {
            return new OutputLoop();
        } catch (LinkageError e) {
            throw new IllegalStateException("local processes need JNA's native library, which could not be loaded ("
                    + e.getMessage() + "); give -Djna.tmpdir=DIR a writable directory where programs may run", e);
        }
    }

    /** The programs every worker runs through before its own (found on this machine), for the start-up log. */
    public List<String> wrapper() {
        return WorkerCommand.of(tools, pid, null, null, null, null, List.of());
    }

    /** Whether every worker leads a session and process group of its own (its pid is its group's id). */
    public boolean ownProcessGroups() {
        return spawnSessions || tools.setsid() != null;
    }

    @Override
    public CompletionStage<LaunchedWorker> launch(LaunchSpec spec, LineHandler output) {
        return CompletableFuture.supplyAsync(() -> start(spec, output), spawner);
    }

    @Override
    public void close() {
        spawner.shutdown();
        signaller.close();
        loop.close();
    }

    private LaunchedWorker start(LaunchSpec spec, LineHandler output) {
        checkProgram(spec);
        Accounts.Account account = spec.user() == null ? null : account(spec.user());
        if (spec.directory() != null && !Files.isDirectory(spec.directory())) {
            throw new LaunchException("working directory " + spec.directory() + " does not exist", null);
        }
        Map<String, String> environment = new LinkedHashMap<>(System.getenv());
        environment.putAll(spec.environment());
        if (account != null) {
            environment.putAll(Map.of("HOME", account.home(), "USER", account.name(), "LOGNAME", account.name()));
        }
        WorkerCgroups.Placement cgroup = cgroups == null ? null : cgroups.place();
        List<String> command = WorkerCommand.of(tools, pid, spec.priority(), account,
                cgroup == null ? null : cgroup.dir(), spec.umask() == null ? null : String.format("%04o", spec.umask()),
                spec.command());
        NativeSpawn.Spawned spawned;
        try {
            spawned = NativeSpawn.spawn(command, environment, spec.directory(), spawnSessions);
        } catch (IOException | RuntimeException e) {
            if (cgroup != null) {
                cgroup.abandon();
            }
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new LaunchException("cannot run " + spec.command().get(0) + ": " + e.getMessage(), e);
        }
        LaunchedWorker worker = LocalWorker.start(spawned, output, maxLineBytes, ownProcessGroups(),
                signaller, spec.stopSignal().name(), loop);
        return cgroup == null ? worker : cgroup.attach(worker);
    }

    /**
     * The account to switch to: only root may, and setpriv must be there (refused for good: retrying cannot help).
     */
    private Accounts.Account account(String user) {
        if (!Accounts.isRoot()) {
            throw new LaunchException(LaunchException.Kind.PERMANENT, "user " + user + ": the master is not root, "
                    + "so it cannot run processes as another user", null);
        }
        if (tools.setpriv() == null) { // the one the command is built with
            throw new LaunchException(LaunchException.Kind.PERMANENT, "user " + user + ": setpriv (util-linux) is "
                    + "not installed, so processes cannot run as another user", null);
        }
        return Accounts.user(user).orElseThrow(() -> new LaunchException(LaunchException.Kind.PERMANENT,
                "user " + user + ": no such user on this machine", null));
    }

    /**
     * The wrappers exec the program, so a missing one would show only as a wrapper's exit code: check first and
     * fail the launch with a sentence instead.
     */
    private static void checkProgram(LaunchSpec spec) {
        String program = spec.command().get(0);
        if (program.contains("/")) {
            java.nio.file.Path path = java.nio.file.Path.of(program);
            if (!path.isAbsolute() && spec.directory() != null) {
                path = spec.directory().resolve(path);
            }
            if (!Files.isRegularFile(path)) {
                throw new LaunchException("cannot run " + program + ": no such file", null);
            }
            if (!Files.isExecutable(path)) {
                throw new LaunchException("cannot run " + program + ": not executable", null);
            }
        } else if (Which.find(program) == null) {
            throw new LaunchException("cannot run " + program + ": not found on the PATH", null);
        }
    }
}
