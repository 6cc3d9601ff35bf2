package org.distarch.launch.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.distarch.config.StopSignal;
import org.distarch.launch.LaunchSpec;
import org.distarch.launch.LaunchedWorker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command a local worker runs through. First the race its parent check closes, played with real processes: a
 * spawner that dies after the spawn and before {@code setpriv} set the parent-death signal. The spawner is a
 * shell that starts the worker in the background and exits at once; the worker waits (as a loaded machine may
 * between {@code posix_spawn} and the {@code prctl}; here until the spawner is gone), then runs {@code setpriv
 * --pdeathsig TERM --}, the check, and a program that leaves a file. Then the whole chain as the launcher spawns
 * it.
 */
class WorkerCommandTest {

    @Test
    void aWorkerWhoseSpawnerDiedBeforeItsParentDeathSignalWasSetDoesNotStart(@TempDir Path dir) throws Exception {
        Path started = dir.resolve("started");
        Orphan orphan = orphan(started, true);
        try {
            assertThat(orphan.exitedWithin(10)).as("the checked worker ends by itself").isTrue();
            assertThat(started).as("its program never ran").doesNotExist();
        } finally {
            ProcessHandle.of(orphan.pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void withoutTheCheckTheSameWorkerRunsOnWithNobodyToStopIt(@TempDir Path dir) throws Exception {
        Path started = dir.resolve("started");
        Orphan orphan = orphan(started, false);
        try {
            waitFor(started);
            assertThat(orphan.exitedWithin(1)).as("no parent-death signal reached it").isFalse();
        } finally {
            ProcessHandle.of(orphan.pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void aCheckThatFailsWhileSomeoneReadsSaysWhyOnStderr() throws Exception {
        assumeSetpriv();
        long notTheParent = ProcessHandle.current().pid() + 1; // any pid but its parent's (this JVM)
        List<String> command = new java.util.ArrayList<>(List.of(Which.find("setpriv"), "--pdeathsig", "TERM", "--"));
        command.addAll(WorkerCommand.shell(notTheParent, null, null));
        command.addAll(List.of("/bin/echo", "ran"));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(WorkerCommand.PARENT_GONE);
        assertThat(said).isEqualTo("distarch: not starting: the process that started this one (pid " + notTheParent
                + ") is gone\n");
    }

    @Test
    void oneSetprivKeepsTheParentDeathSignalAcrossTheUserSwitch() throws Exception {
        assumeSetpriv();
        assumeTrue(Accounts.isRoot(), "switching users needs root (tests run as root here and in CI)");
        Process spawner = new ProcessBuilder("/bin/sh", "-c", Which.find("setpriv") + " --reuid 65534 --regid 65534 "
                + "--init-groups --pdeathsig TERM -- sleep 60 </dev/null >/dev/null 2>&1 & echo $!; exec sleep 60")
                .start();
        long pid;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(spawner.getInputStream(),
                StandardCharsets.UTF_8))) {
            pid = Long.parseLong(out.readLine());
        }
        Orphan worker = new Orphan(pid);
        try {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!Files.readString(Path.of("/proc/" + pid + "/cmdline")).startsWith("sleep")
                    && System.nanoTime() < until) {
                Thread.sleep(20); // setpriv has switched and set the signal once it exec'd the program
            }
            assertThat(Files.readString(Path.of("/proc/" + pid + "/status"))).contains("Uid:\t65534");
            spawner.destroyForcibly(); // SIGKILL: the spawner cannot tell anyone
            assertThat(worker.exitedWithin(10)).as("the switched worker heard of its parent's death").isTrue();
        } finally {
            spawner.destroyForcibly();
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void theLaunchersWorkerKeepsItsPidAndGetsItsUmaskCgroupAndUser() throws Exception {
        runThroughTheLauncher(null);
        if (Accounts.isRoot() && Accounts.user("nobody").isPresent()) {
            runThroughTheLauncher("nobody");
        }
    }

    private static void runThroughTheLauncher(String user) throws Exception {
        WorkerCgroups.Opened opened = WorkerCgroups.open();
        List<String> lines = new CopyOnWriteArrayList<>();
        try (LocalLauncher launcher = new LocalLauncher(64 * 1024)) {
            if (opened.cgroups() != null) {
                launcher.useCgroups(opened.cgroups());
            }
            LaunchSpec spec = new LaunchSpec(List.of("/bin/sh", "-c",
                    "echo \"$$ $(id -un) $(umask) $(grep ^0:: /proc/self/cgroup | cut -d: -f3)\""), null, Map.of(), 3,
                    StopSignal.TERM, user, 027);
            LaunchedWorker worker = launcher.launch(spec, (stream, line) -> lines.add(line)).toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
            assertThat(worker.exit().toCompletableFuture().get(30, TimeUnit.SECONDS).code()).isZero();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (lines.isEmpty() && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            String[] words = lines.get(0).trim().split(" ");
            assertThat(Long.parseLong(words[0])).as("every program before it exec'd").isEqualTo(worker.pid());
            assertThat(words[1]).isEqualTo(user != null ? user : System.getProperty("user.name"));
            assertThat(words[2]).isEqualTo("0027");
            if (opened.cgroups() != null) {
                // $(cut) is a child of the worker: born in the worker's cgroup
                assertThat(words[3]).contains(opened.cgroups().root().getFileName().toString() + "/w");
            }
        } finally {
            if (opened.cgroups() != null) {
                opened.cgroups().close();
            }
        }
    }

    private static final String CHECK = "[ \"$PPID\" = 4711 ] || { echo \"distarch: not starting: the process that "
            + "started this one (pid 4711) is gone\" >&2; exit 125; }; ";

    @Test
    void theCgroupIsEnteredInTheCheckingShellUnlessAUserSwitchComesBetween() {
        WorkerCommand.Tools tools = new WorkerCommand.Tools(null, "/usr/bin/nice", "/usr/bin/setpriv");
        Accounts.Account nobody = new Accounts.Account("nobody", 65534, 65534, "/nonexistent");
        Path cgroup = Path.of("/sys/fs/cgroup/distarch-1-ab/w7");
        assertThat(WorkerCommand.of(tools, 4711, null, null, cgroup, null, List.of("prog", "a b")))
                .containsExactly("/usr/bin/setpriv", "--pdeathsig", "TERM", "--", "/bin/sh", "-c",
                        CHECK + "echo $$ >\"$0/cgroup.procs\" || echo \"distarch: could "
                                + "not enter the cgroup $0; running without it\" >&2; exec \"$@\"",
                        cgroup.toString(), "prog", "a b");
        assertThat(WorkerCommand.of(tools, 4711, 5, nobody, cgroup, "0077", List.of("prog")))
                .containsExactly("/bin/sh", "-c", "echo $$ >\"$0/cgroup.procs\" || echo \"distarch: could not enter "
                                + "the cgroup $0; running without it\" >&2; exec \"$@\"", cgroup.toString(),
                        "/usr/bin/nice", "-n", "5",
                        "/usr/bin/setpriv", "--reuid", "65534", "--regid", "65534", "--init-groups", "--pdeathsig",
                        "TERM", "--",
                        "/bin/sh", "-c", CHECK + "umask 0077 && exec \"$0\" \"$@\"",
                        "prog");
        // without setpriv there is no signal to check after, and the one sh only does the rest
        assertThat(WorkerCommand.of(new WorkerCommand.Tools("/usr/bin/setsid", null, null), 4711, 5, null, null,
                null, List.of("prog"))).containsExactly("/usr/bin/setsid", "prog");
        assertThat(WorkerCommand.of(new WorkerCommand.Tools(null, null, null), 4711, null, null, null, "0022",
                List.of("prog"))).containsExactly("/bin/sh", "-c", "umask 0022 && exec \"$0\" \"$@\"", "prog");
        // a user switch without setpriv is refused, never run as the master's user instead
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> WorkerCommand.of(
                new WorkerCommand.Tools(null, null, null), 4711, null, nobody, null, null, List.of("prog")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private record Orphan(long pid) {
        boolean exitedWithin(int seconds) throws InterruptedException {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (System.nanoTime() < until) {
                // a zombie is gone for this purpose: its parent (init or a subreaper) reaps it when it likes
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && !zombie(pid)) {
                    Thread.sleep(50);
                } else {
                    return true;
                }
            }
            return false;
        }
    }

    private static boolean zombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (java.io.IOException e) {
            return true;
        }
    }

    /**
     * Starts a spawner shell that backgrounds the worker and exits; the worker waits until the spawner is gone (and
     * reaped by this JVM) before {@code setpriv} runs, however loaded the machine. Returns the worker's pid, which
     * keeps through every exec.
     */
    private static Orphan orphan(Path started, boolean checked) throws Exception {
        assumeSetpriv();
        String setpriv = Which.find("setpriv");
        Process spawner = new ProcessBuilder("/bin/sh", "-c", "read -r check; "
                + "( while kill -0 $$ 2>/dev/null; do sleep 0.02; done; "
                + "exec " + setpriv + " --pdeathsig TERM -- /bin/sh -c \"$check\" "
                + "/bin/sh -c 'echo started >\"$0\"; exec sleep 60' \"$0\" ) </dev/null >/dev/null 2>&1 & echo $!",
                started.toString()).redirectErrorStream(true).start();
        String check = checked ? WorkerCommand.shell(spawner.pid(), null, null).get(2) : "exec \"$0\" \"$@\"";
        try (Writer in = new OutputStreamWriter(spawner.getOutputStream(), StandardCharsets.UTF_8)) {
            in.write(check + "\n");
        }
        String pid;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(spawner.getInputStream(),
                StandardCharsets.UTF_8))) {
            pid = out.readLine();
        }
        assertThat(spawner.waitFor(10, TimeUnit.SECONDS)).as("the spawner exits at once").isTrue();
        assertThat(pid).matches("\\d+");
        return new Orphan(Long.parseLong(pid));
    }

    private static void waitFor(Path file) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.exists(file) && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        assertThat(file).exists();
    }

    private static void assumeSetpriv() {
        assumeTrue(Which.find("setpriv") != null, "setpriv (util-linux) is not installed");
    }
}
