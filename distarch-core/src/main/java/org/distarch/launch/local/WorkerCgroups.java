package org.distarch.launch.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.distarch.event.ExitStatus;
import org.distarch.launch.LaunchedWorker;
import org.distarch.launch.Usage;

/**
 * A cgroup (v2) of its own for every local worker, where the machine has them and the launcher may create
 * them (root): stopping or killing a worker then empties its cgroup ({@code cgroup.kill}), which catches what
 * a process-group signal cannot, a grandchild that called {@code setsid} (the way systemd and Nomad stop a
 * service). The tree is {@code <the launcher's own cgroup>/distarch-<pid>-<random>/w<n>}; each worker's cgroup
 * is removed when it is empty, the tree when the launcher closes.
 *
 * <p>Placement is race-free: an {@code sh} before the worker's program runs {@code echo $$ >DIR/cgroup.procs}
 * ({@link WorkerCommand}), so the process is in its cgroup before it execs the worker's program, and so is
 * everything it starts.
 *
 * <p>Elsewhere (no cgroup2 mount, no {@code cgroup.kill}, not root) {@link #open} says why in one line and the
 * launcher keeps to process groups.
 */
public final class WorkerCgroups implements AutoCloseable {

    /** What {@link #open} found: the cgroups to use, or null, and the line for the start-up log. */
    public record Opened(WorkerCgroups cgroups, String notice) {}

    private final Path root;
    private final AtomicLong next = new AtomicLong();
    private final ScheduledExecutorService remover;

    private WorkerCgroups(Path root) {
        this.root = root;
        this.remover = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "distarch-cgroups");
            t.setDaemon(true);
            return t;
        });
    }

    /** Creates this launcher's cgroup tree, or says why workers run without cgroups. */
    public static Opened open() {
        if (!Accounts.isRoot()) {
            return new Opened(null, "Workers run in process groups (cgroups need root): a grandchild that "
                    + "leaves its group with setsid outlives a stop");
        }
        Optional<Path> mount = cgroup2Mount();
        if (mount.isEmpty()) {
            return new Opened(null, "Workers run in process groups (no cgroup2 file system mounted): a grandchild "
                    + "that leaves its group with setsid outlives a stop");
        }
        Optional<Path> own = ownCgroup(mount.get());
        if (own.isEmpty() || !Files.exists(own.get().resolve("cgroup.procs"))) {
            return new Opened(null, "Workers run in process groups (this process's cgroup is not visible under "
                    + mount.get() + ")");
        }
        sweep(own.get());
        Path root = own.get().resolve("distarch-" + ProcessHandle.current().pid() + "-"
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()));
        try {
            Files.createDirectory(root);
            if (!Files.exists(root.resolve("cgroup.kill"))) {
                Files.deleteIfExists(root);
                return new Opened(null, "Workers run in process groups (this kernel has no cgroup.kill, Linux 5.14+)");
            }
        } catch (IOException e) {
            return new Opened(null, "Workers run in process groups (cannot create a cgroup under " + own.get() + ": "
                    + e.getMessage() + ")");
        }
        return new Opened(new WorkerCgroups(root), "Workers run in cgroups of their own under " + root
                + ": stop and kill reach every process they start");
    }

    /**
     * Removes the empty trees that launchers killed with SIGKILL and never followed by another left beside ours
     * (a tree with a process in it cannot be removed, and stays for its own next generation). A tree of a live
     * launcher that happens to be empty is made again at its next start ({@link #place}).
     */
    private static void sweep(Path parent) {
        try (DirectoryStream<Path> trees = Files.newDirectoryStream(parent, "distarch-*")) {
            for (Path tree : trees) {
                if (Files.isDirectory(tree) && members(tree).isEmpty()) {
                    removeTree(tree);
                }
            }
        } catch (IOException e) {
            // nothing to sweep
        }
    }

    /** This launcher's tree: the journal records it, so the next generation finds every cgroup in it. */
    public Path root() {
        return root;
    }

    /** The cgroup of the next worker, or null when it cannot be made (the worker then runs without one). */
    Placement place() {
        Path dir = root.resolve("w" + next.incrementAndGet());
        try {
            Files.createDirectories(dir);
            return new Placement(dir);
        } catch (IOException e) {
            return null;
        }
    }

    /** One worker's cgroup, from before its start to its removal. */
    final class Placement {
        private final Path dir;

        private Placement(Path dir) {
            this.dir = dir;
        }

        /** The directory the worker enters before it execs its program. */
        Path dir() {
            return dir;
        }

        /** The worker as started: its kill and its end now empty its cgroup too. */
        LaunchedWorker attach(LaunchedWorker worker) {
            return new CgroupWorker(worker, this);
        }

        /** The worker did not start. */
        void abandon() {
            killAndRemove(dir);
        }
    }

    /**
     * A worker whose kill also empties its cgroup, and whose end takes what it left there (a grandchild in a
     * session of its own) with it, as its end already takes what it left in its process group.
     */
    private static final class CgroupWorker implements LaunchedWorker {
        private final LaunchedWorker worker;
        private final CompletionStage<ExitStatus> exit;
        private final Placement cgroup;

        CgroupWorker(LaunchedWorker worker, Placement cgroup) {
            this.worker = worker;
            this.cgroup = cgroup;
            this.exit = worker.exit().whenComplete((status, error) -> cgroup.abandon());
        }

        @Override
        public long pid() {
            return worker.pid();
        }

        @Override
        public CompletionStage<ExitStatus> exit() {
            return exit;
        }

        @Override
        public void askStop() {
            worker.askStop();
        }

        @Override
        public void kill() {
            worker.kill();
            WorkerCgroups.kill(cgroup.dir);
        }

        @Override
        public void signal(String signal) {
            worker.signal(signal);
        }

        @Override
        public Usage usage() {
            return worker.usage();
        }
    }

    /** Kills every process in {@code dir} at once; false when it is gone already or cannot be killed. */
    static boolean kill(Path dir) {
        try {
            Files.writeString(dir.resolve("cgroup.kill"), "1", StandardCharsets.US_ASCII);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Kills what is left in {@code dir} and removes it once empty (killed processes take a moment to go). */
    void killAndRemove(Path dir) {
        kill(dir);
        remove(dir, 0);
    }

    private void remove(Path dir, int attempt) {
        try {
            Files.deleteIfExists(dir);
        } catch (IOException busy) {
            if (attempt < 100) {
                kill(dir);
                try {
                    remover.schedule(() -> remove(dir, attempt + 1), 20L * (attempt + 1), TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.RejectedExecutionException closing) {
                    // the launcher is closing: close() removes what is left of the tree
                }
            }
        }
    }

    /** Removes the tree (every worker has ended: their cgroups are gone or going). */
    @Override
    public void close() {
        remover.shutdown();
        try {
            remover.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        removeTree(root);
    }

    // ---- a previous generation's tree ---------------------------------------------------------------------------

    /** The pids in {@code tree} and every cgroup below it (empty when the tree is gone). */
    public static List<Long> members(Path tree) {
        List<Long> pids = new ArrayList<>();
        for (Path dir : dirs(tree)) {
            try {
                for (String line : Files.readAllLines(dir.resolve("cgroup.procs"), StandardCharsets.US_ASCII)) {
                    if (!line.isBlank()) {
                        pids.add(Long.parseLong(line.trim()));
                    }
                }
            } catch (IOException | NumberFormatException e) {
                // removed meanwhile
            }
        }
        return pids;
    }

    /** Kills every process in {@code tree} and below it. */
    public static void killTree(Path tree) {
        dirs(tree).forEach(WorkerCgroups::kill);
    }

    /** Removes {@code tree} and the cgroups below it that are empty; true when it is gone. */
    public static boolean removeTree(Path tree) {
        List<Path> all = dirs(tree);
        java.util.Collections.reverse(all); // children first
        for (Path dir : all) {
            try {
                Files.deleteIfExists(dir);
            } catch (IOException busy) {
                // still populated: the next generation finds it
            }
        }
        return !Files.exists(tree);
    }

    /** {@code tree} and the directories below it, parents before children. */
    private static List<Path> dirs(Path tree) {
        List<Path> dirs = new ArrayList<>();
        if (!Files.isDirectory(tree)) {
            return dirs;
        }
        dirs.add(tree);
        for (int i = 0; i < dirs.size(); i++) {
            try (DirectoryStream<Path> children = Files.newDirectoryStream(dirs.get(i), Files::isDirectory)) {
                children.forEach(dirs::add);
            } catch (IOException e) {
                // removed meanwhile
            }
        }
        return dirs;
    }

    // ---- where cgroup2 is ---------------------------------------------------------------------------------------

    /** The cgroup2 mount point, from /proc/self/mountinfo (v2 alone at /sys/fs/cgroup, or hybrid at …/unified). */
    static Optional<Path> cgroup2Mount() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8)) {
                Optional<Path> mount = cgroup2Mount(line);
                if (mount.isPresent()) {
                    return mount;
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return Optional.empty();
    }

    /** The mount point of one mountinfo line when its file system type is cgroup2. */
    static Optional<Path> cgroup2Mount(String line) {
        // "36 25 0:31 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw": the type follows the " - " separator.
        int dash = line.indexOf(" - ");
        if (dash < 0) {
            return Optional.empty();
        }
        String[] after = line.substring(dash + 3).split(" ");
        String[] before = line.substring(0, dash).split(" ");
        if (after.length < 1 || !after[0].equals("cgroup2") || before.length < 5 || !before[3].equals("/")) {
            return Optional.empty();
        }
        return Optional.of(Path.of(unescape(before[4])));
    }

    /** This process's cgroup directory: the {@code 0::PATH} line of /proc/self/cgroup under {@code mount}. */
    static Optional<Path> ownCgroup(Path mount) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"), StandardCharsets.UTF_8)) {
                if (line.startsWith("0::/")) {
                    String rel = line.substring(4);
                    return Optional.of(rel.isEmpty() ? mount : mount.resolve(rel));
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return Optional.empty();
    }

    /** mountinfo writes space, tab, newline and backslash as octal escapes ({@code \040}). */
    private static String unescape(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean octal = c == '\\' && i + 3 < s.length()
                    && s.substring(i + 1, i + 4).chars().allMatch(d -> d >= '0' && d <= '7');
            if (octal) {
                out.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
