package org.distarch.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code run-master --service}, {@code --stop}, the pid file and the log file, with real detached
 * services. A service is not a descendant of the test (that is the point), so {@link NoStrayProcesses}
 * cannot see it: every service a test starts is stopped, and checked gone, in {@link #stopEveryService()}.
 */
@ExtendWith(NoStrayProcesses.class)
class ServiceModeIT {

    private static final Duration LIMIT = Duration.ofSeconds(90);
    private static final String TEST_USER = "distarch-test";
    private static final String WORKERS = """
            distributed_architecture:
              groups:
                Workers:
                  command: test:scripted
                  params: {script: ["work 600"]}
                  local: {instances_count: 2}
            """;

    @TempDir
    Path dir;

    private final List<Long> services = new ArrayList<>();

    @AfterEach
    void stopEveryService() throws Exception {
        List<String> left = new ArrayList<>();
        for (long pid : services) {
            if (!running(pid)) {
                continue;
            }
            List<ProcessHandle> tree = ProcessHandle.of(pid).map(p -> p.descendants().toList()).orElse(List.of());
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
            if (!awaitGone(pid, LIMIT)) {
                left.add(pid + " " + commandLine(pid));
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                tree.forEach(ProcessHandle::destroyForcibly);
                assertThat(awaitGone(pid, LIMIT)).as("service %s gone after SIGKILL", pid).isTrue();
            }
        }
        assertThat(left).as("services that SIGTERM did not stop (killed now)").isEmpty();
    }

    // --- the service's life: detach, pid file, log, stop ----------------------------------------------

    @Test
    void aServiceDetachesLogsItsWorkersToTheLogFileAndStopGivesAGracefulEnd() throws Exception {
        MasterRun launcher = startService(dir, WORKERS);
        assertThat(launcher.process.exitValue()).as(launcher.tail()).isZero();
        long pid = servicePid(dir);
        assertThat(launcher.lines()).anyMatch(l -> l.startsWith("Service started: master pid " + pid + ", log "
                + logFile(dir)));

        List<String> pidLines = read(pidFile(dir));
        assertThat(pidLines.get(0)).as("the pid alone on the first line").isEqualTo(Long.toString(pid));
        assertThat(pidLines).contains("state=running");

        long[] stat = stat(pid);
        long ownSession = stat(ProcessHandle.current().pid())[1];
        assertThat(stat[1]).as("the service leads a session of its own").isEqualTo(pid).isNotEqualTo(ownSession);
        List<Long> ours = ProcessHandle.current().descendants().map(ProcessHandle::pid).toList();
        assertThat(ours).as("the service is no descendant of the test").doesNotContain(pid);
        assertThat(stat[0]).as("its parent is init or a subreaper, not the launcher or the test")
                .isNotEqualTo(launcher.process.pid()).isNotEqualTo(ProcessHandle.current().pid());
        assertThat(ours).doesNotContain(stat[0]);

        awaitLine(logFile(dir), l -> l.contains("[Workers] [localhost] [test:scripted/1/1] working"), LIMIT);
        awaitLine(logFile(dir), l -> l.contains("[Workers] [localhost] [test:scripted/2/2] working"), LIMIT);
        assertThat(ProcessHandle.of(pid).orElseThrow().children()
                .filter(p -> CommandLines.of(p).contains("test:scripted"))).as("its workers").hasSize(2);

        MasterRun stop = cli(dir, "run-master", "--stop");
        assertThat(stop.process.exitValue()).as(stop.tail()).isZero();
        assertThat(stop.lines()).contains("Master pid " + pid + " stopped.");
        assertThat(running(pid)).isFalse();
        List<String> log = read(logFile(dir));
        assertThat(log).anyMatch(l -> l.contains("[master] Stopping... (Received SIGTERM, stopping)"));
        assertThat(log).filteredOn(l -> l.contains("] Stopped (exit code 0)")).hasSize(2);
        assertThat(log).noneMatch(l -> l.contains("force kill"));
        assertThat(pidFile(dir)).as("removed on a clean exit").doesNotExist();
    }

    @Test
    void aServiceNeverExitsByItselfWhenEveryProcessHasEndedItsGroupsStartAgain() throws Exception {
        String ending = """
                distributed_architecture:
                  groups:
                    Batch:
                      command: test:scripted
                      params: {script: ["say batch done", "exit 0"]}
                      local: ~
                """;
        MasterRun launcher = startService(dir, ending);
        assertThat(launcher.process.exitValue()).as(launcher.tail()).isZero();
        long pid = servicePid(dir);
        awaitLine(logFile(dir), l -> l.contains("[master] Every process has ended: starting the groups again"), LIMIT);
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (read(logFile(dir)).stream().filter(l -> l.endsWith("[test:scripted/1/1] batch done")).count() < 2) {
            assertThat(System.nanoTime()).as("a second round within %s:%n%s", LIMIT, tailOf(logFile(dir)))
                    .isLessThan(deadline);
            Thread.sleep(100);
        }
        assertThat(running(pid)).isTrue();
        stopService(dir);
        assertThat(read(logFile(dir))).anyMatch(l -> l.contains("[master] Stopped: Received SIGTERM, stopping"));
    }

    /**
     * The seed's service recycles the whole fleet every --max-running-time and never exits (ours used to stop
     * and exit): two full cycles with a real service, each announced by master_starting and master_started.
     */
    @Test
    void aServiceWithMaxRunningTimeRecyclesTheWholeFleetEveryNSecondsAndNeverExits() throws Exception {
        MasterRun launcher = startService(dir, WORKERS, "--max-running-time", "3");
        assertThat(launcher.process.exitValue()).as(launcher.tail()).isZero();
        long pid = servicePid(dir);
        Path events = dir.resolve("events.txt");
        long deadline = System.nanoTime() + LIMIT.toNanos();
        // Started once at start-up, then once per recycle: three starts per instance are two full recycles.
        while (read(logFile(dir)).stream().filter(l -> l.contains("[test:scripted/1/1] Started (pid")).count() < 3
                || read(logFile(dir)).stream().filter(l -> l.contains("[test:scripted/2/2] Started (pid")).count() < 3
                || read(events).stream().filter("master_started"::equals).count() < 3) {
            assertThat(System.nanoTime()).as("two recycles within %s:%n%s", LIMIT, tailOf(logFile(dir)))
                    .isLessThan(deadline);
            assertThat(running(pid)).as("the service runs on:%n%s", tailOf(logFile(dir))).isTrue();
            Thread.sleep(100);
        }
        List<String> log = read(logFile(dir));
        assertThat(log).filteredOn(l -> l.contains(
                "[master] Stopping... (--max-running-time of 3s reached: recycling the fleet)")).hasSizeGreaterThanOrEqualTo(2);
        assertThat(log).filteredOn(l -> l.contains("[master] Every process has stopped: starting the groups again"))
                .hasSizeGreaterThanOrEqualTo(2);
        assertThat(log).as("graceful: every worker obeyed the stop").noneMatch(l -> l.contains("force kill"));
        List<String> heard = read(events);
        assertThat(heard).filteredOn("master_starting"::equals).hasSizeGreaterThanOrEqualTo(3);
        assertThat(heard).filteredOn("master_started"::equals).hasSizeGreaterThanOrEqualTo(3);
        // Each cycle: every process stopped (as asked) before the next master_starting.
        int secondStarting = indexOf(heard, "master_starting", 2);
        assertThat(heard.subList(0, secondStarting)).contains("process_stopped 1 STOPPED 0", "process_stopped 2 STOPPED 0");
        assertThat(running(pid)).isTrue();

        stopService(dir);
        assertThat(read(logFile(dir))).anyMatch(l -> l.contains("[master] Stopped: Received SIGTERM, stopping"));
    }

    /** The index of the {@code nth} (1-based) line equal to {@code line}. */
    private static int indexOf(List<String> lines, String line, int nth) {
        int seen = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).equals(line) && ++seen == nth) {
                return i;
            }
        }
        throw new AssertionError("fewer than " + nth + " \"" + line + "\" in " + lines);
    }

    @Test
    void aSecondMasterOnTheSamePidFileIsRefusedWhileTheServiceRuns() throws Exception {
        MasterRun first = startService(dir, WORKERS);
        assertThat(first.process.exitValue()).as(first.tail()).isZero();
        long pid = servicePid(dir);
        String pidFileBefore = Files.readString(pidFile(dir));

        MasterRun second = startService(dir, WORKERS);
        assertThat(second.process.exitValue()).isEqualTo(2);
        assertThat(String.join("\n", second.errorLines())).contains("A master is already running with pid " + pid
                + " (pid file " + pidFile(dir) + ")");

        try (MasterRun foreground = MasterRun.start(dir, WORKERS)) {
            assertThat(foreground.awaitExit(LIMIT)).isEqualTo(2);
            assertThat(String.join("\n", foreground.errorLines())).contains("already running with pid " + pid);
        }
        assertThat(Files.readString(pidFile(dir))).isEqualTo(pidFileBefore);
        assertThat(running(pid)).isTrue();
    }

    @Test
    void aStalePidFileOfADeadProcessIsReplaced() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        writePidFile(dir, gone.pid() + "\nstart=1\nstate=running\n");

        MasterRun launcher = startService(dir, WORKERS);
        assertThat(launcher.process.exitValue()).as(launcher.tail()).isZero();
        long pid = servicePid(dir);
        assertThat(pid).isNotEqualTo(gone.pid());
        awaitLine(logFile(dir), l -> l.contains("WARN  [master] Replaced the stale pid file " + pidFile(dir)
                + ": process " + gone.pid() + " is not running"), LIMIT);
    }

    @Test
    void aStalePidFileNamingAnUnrelatedLiveProcessIsReplaced() throws Exception {
        long self = ProcessHandle.current().pid();
        writePidFile(dir, self + "\nstart=1\nstate=running\n");
        MasterRun launcher = startService(dir, WORKERS);
        assertThat(launcher.process.exitValue()).as(launcher.tail()).isZero();
        awaitLine(logFile(dir), l -> l.contains("Replaced the stale pid file " + pidFile(dir) + ": pid " + self
                + " now belongs to another program"), LIMIT);
        stopService(dir);

        writePidFile(dir, self + "\n"); // no start token (a hand-written file): the command line decides
        launcher = startService(dir, WORKERS);
        assertThat(launcher.process.exitValue()).as(launcher.tail()).isZero();
        awaitLine(logFile(dir), l -> l.contains("Replaced the stale pid file " + pidFile(dir) + ": pid " + self
                + " is not a distarch master"), LIMIT);
        assertThat(ProcessHandle.current().isAlive()).as("the test JVM was not signalled").isTrue();
    }

    @Test
    void stopWithoutARunningMasterSaysSoAndExits2() throws Exception {
        MasterRun none = cli(dir, "run-master", "--stop");
        assertThat(none.process.exitValue()).isEqualTo(2);
        assertThat(String.join("\n", none.errorLines())).contains("No master is running: there is no pid file at "
                + pidFile(dir));

        writePidFile(dir, ProcessHandle.current().pid() + "\nstart=1\n");
        MasterRun stale = cli(dir, "run-master", "--stop");
        assertThat(stale.process.exitValue()).isEqualTo(2);
        assertThat(String.join("\n", stale.errorLines())).contains("No master is running: the pid file " + pidFile(dir)
                + " is stale");
    }

    @Test
    void aBrokenConfigurationFailsTheStartWithTheErrorAndLeavesNothingRunning() throws Exception {
        String broken = """
                distributed_architecture:
                  groups:
                    Workers:
                      command: test:scripted
                      local: {instances_count: 0}
                """;
        MasterRun launcher = startService(dir, broken);
        assertThat(launcher.process.exitValue()).isEqualTo(2);
        assertThat(String.join("\n", launcher.errorLines()))
                .contains("distarch.yaml: distributed_architecture.groups.Workers.local.instances_count: must be at least 1");
        assertThat(pidFile(dir)).doesNotExist();
    }

    @ParameterizedTest(name = "launched {0}")
    @ValueSource(strings = {"directly", "under nohup"})
    void sighupReopensTheLogSoThatAMovedLogKeepsTheOldLinesAndANewFileGetsTheNewOnes(String how) throws Exception {
        // nohup leaves SIGHUP ignored in the launcher and, through exec, in the service it starts: the service
        // takes it back, or a rotation could never reopen the log.
        MasterRun launcher = how.equals("directly") ? startService(dir, WORKERS) : startService(dir,
                List.of("nohup"), WORKERS);
        assertThat(launcher.process.exitValue()).as(launcher.tail()).isZero();
        long pid = servicePid(dir);
        awaitLine(logFile(dir), l -> l.contains("] working"), LIMIT);

        Path rotated = logFile(dir).resolveSibling("distributed_architecture.log.1");
        Files.move(logFile(dir), rotated);
        assertThat(new ProcessBuilder("kill", "-HUP", Long.toString(pid)).start().waitFor()).isZero();

        awaitLine(logFile(dir), l -> l.endsWith("[master] Reopened the log"), LIMIT);
        awaitLine(logFile(dir), l -> l.contains("[test:scripted/1/1] working"), LIMIT);
        List<String> old = read(rotated);
        assertThat(old).anyMatch(l -> l.contains("] working"));
        assertThat(old.get(old.size() - 1)).as("the last line of the old file")
                .endsWith("[master] Received SIGHUP: reopening the log file " + logFile(dir));
        assertThat(running(pid)).as("SIGHUP does not end the service").isTrue();

        stopService(dir);
        assertThat(read(logFile(dir))).filteredOn(l -> l.contains("] Stopped (exit code 0)")).hasSize(2);
        assertThat(read(rotated)).isEqualTo(old);
    }

    // --- as root: --user -----------------------------------------------------------------------------

    @Test
    void asRootTheServiceAndEveryWorkerRunAsTheUserGivenWithUser() throws Exception {
        Assumptions.assumeTrue(isRoot(), "only root can switch users");
        int[] ids = ensureTestUser();
        Path work = userWorkDir();
        String classPath = readableClassPath();
        Files.writeString(work.resolve("distarch.yaml"), WORKERS);
        MasterRun launcher = MasterRun.startRawWithClassPath(work, classPath,
                List.of("run-master", "--config", "distarch.yaml", "--service", "--user", TEST_USER));
        launcher.awaitExit(LIMIT);
        assertThat(launcher.process.exitValue()).as(launcher.tail() + "\nservice log:\n" + tailOf(logFile(work)))
                .isZero();
        long pid = servicePid(work);
        awaitLine(logFile(work), l -> l.contains("[test:scripted/2/2] working"), LIMIT);

        List<ProcessHandle> workers = ProcessHandle.of(pid).orElseThrow().descendants().toList();
        assertThat(workers).hasSizeGreaterThanOrEqualTo(2);
        assertThat(ids(pid, "Uid")).as("the service's uids").containsOnly(ids[0]);
        assertThat(ids(pid, "Gid")).as("the service's gids").containsOnly(ids[1]);
        for (ProcessHandle worker : workers) {
            assertThat(ids(worker.pid(), "Uid")).as("uids of %s", CommandLines.of(worker))
                    .containsOnly(ids[0]);
        }
        assertThat(Files.getAttribute(logFile(work), "unix:uid")).isEqualTo(ids[0]);
        assertThat(Files.getAttribute(pidFile(work).getParent(), "unix:uid")).isEqualTo(ids[0]);
        assertThat(Files.getAttribute(pidFile(work), "unix:uid")).isEqualTo(ids[0]);

        stopService(work);
        assertThat(read(logFile(work))).filteredOn(l -> l.contains("] Stopped (exit code 0)")).hasSize(2);
    }

    @Test
    void asRootServiceNeedsUserAndAPidFileTheUserCannotWriteFailsTheStartWithTheReason() throws Exception {
        Assumptions.assumeTrue(isRoot(), "only root can switch users");
        ensureTestUser();
        Files.writeString(dir.resolve("distarch.yaml"), WORKERS);
        MasterRun noUser = cli(dir, "run-master", "--config", "distarch.yaml", "--service");
        assertThat(noUser.process.exitValue()).isEqualTo(2);
        assertThat(String.join("\n", noUser.errorLines())).contains("As root, --service needs --user USER");

        Path work = userWorkDir();
        Path locked = Files.createDirectory(work.resolve("locked")); // root's, 755: not the default var/log, so kept
        Files.writeString(work.resolve("distarch.yaml"), WORKERS);
        MasterRun launcher = MasterRun.startRawWithClassPath(work, readableClassPath(), List.of("run-master",
                "--config", "distarch.yaml", "--service", "--user", TEST_USER, "--pid", "locked/master.pid"));
        launcher.awaitExit(LIMIT);
        assertThat(launcher.process.exitValue()).as(launcher.tail()).isEqualTo(1);
        String err = String.join("\n", launcher.errorLines());
        assertThat(err).contains("The service did not start: it exited with code 1. Last lines of " + logFile(work));
        assertThat(err).contains("Cannot write the pid file " + locked.resolve("master.pid"));
        assertThat(locked.resolve("master.pid")).doesNotExist();
    }

    // --- helpers -------------------------------------------------------------------------------------

    /** {@code run-master --service} in {@code where}; returns the launcher once it has exited. */
    private MasterRun startService(Path where, String yaml, String... extra) throws Exception {
        return startService(where, List.of(), yaml, extra);
    }

    /** As {@link #startService(Path, String, String...)}, the launcher run by {@code wrapper}. */
    private MasterRun startService(Path where, List<String> wrapper, String yaml, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("run-master", "--config", where.resolve("distarch.yaml").toString(),
                "--service", "--user", System.getProperty("user.name")));
        args.addAll(Arrays.asList(extra));
        Files.writeString(where.resolve("distarch.yaml"), yaml);
        MasterRun launcher = MasterRun.startUnder(where, wrapper, TestApp.class, args);
        launcher.awaitExit(LIMIT);
        if (Files.exists(pidFile(where))) {
            long pid = Long.parseLong(read(pidFile(where)).get(0).trim());
            if (!services.contains(pid)) {
                services.add(pid);
            }
        }
        launcher.close();
        return launcher;
    }

    private MasterRun cli(Path where, String... args) throws Exception {
        MasterRun run = MasterRun.startRaw(where, List.of(args));
        run.awaitExit(LIMIT);
        return run;
    }

    private void stopService(Path where) throws Exception {
        long pid = servicePid(where);
        MasterRun stop = cli(where, "run-master", "--stop");
        assertThat(stop.process.exitValue()).as(stop.tail()).isZero();
        assertThat(running(pid)).isFalse();
    }

    private long servicePid(Path where) {
        long pid = Long.parseLong(read(pidFile(where)).get(0).trim());
        if (!services.contains(pid)) {
            services.add(pid);
        }
        return pid;
    }

    private static Path pidFile(Path where) {
        return where.resolve("var/log/distributed_architecture.pid");
    }

    private static Path logFile(Path where) {
        return where.resolve("var/log/distributed_architecture.log");
    }

    private static void writePidFile(Path where, String content) throws IOException {
        Files.createDirectories(pidFile(where).getParent());
        Files.writeString(pidFile(where), content);
    }

    private static List<String> read(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String tailOf(Path file) {
        List<String> lines = read(file);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    private static String awaitLine(Path file, Predicate<String> match, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            for (String line : read(file)) {
                if (match.test(line)) {
                    return line;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no matching line in " + file + " within " + limit + ":\n" + tailOf(file));
    }

    /** {ppid, session} from /proc/PID/stat. */
    private static long[] stat(long pid) throws IOException {
        String text = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] f = text.substring(text.lastIndexOf(')') + 2).split(" ");
        return new long[] {Long.parseLong(f[1]), Long.parseLong(f[3])};
    }

    /** Running: exists and is no zombie. */
    private static boolean running(long pid) {
        try {
            String text = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            char state = text.charAt(text.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean awaitGone(long pid, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (running(pid)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(100);
        }
        return true;
    }

    private static String commandLine(long pid) {
        String line = CommandLines.of(pid);
        return line.isEmpty() ? "?" : line;
    }

    /** The four ids (real, effective, saved, file system) of the Uid: or Gid: line of /proc/PID/status. */
    private static List<Integer> ids(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith(field + ":")) {
                return Arrays.stream(line.substring(field.length() + 1).trim().split("\\s+")).map(Integer::valueOf)
                        .toList();
            }
        }
        throw new AssertionError("no " + field + " in /proc/" + pid + "/status");
    }

    private static boolean isRoot() throws IOException {
        return ids(ProcessHandle.current().pid(), "Uid").get(1) == 0;
    }

    /** Creates the throwaway system user when missing; returns {uid, gid}. Skips the test if that fails. */
    private static int[] ensureTestUser() throws Exception {
        if (run("id", "-u", TEST_USER).isEmpty()) {
            Assumptions.assumeTrue(run("useradd", "--system", "--no-create-home", TEST_USER) != null,
                    "cannot create the user " + TEST_USER);
        }
        String uid = run("id", "-u", TEST_USER);
        String gid = run("id", "-g", TEST_USER);
        Assumptions.assumeTrue(uid != null && !uid.isEmpty(), "no user " + TEST_USER);
        return new int[] {Integer.parseInt(uid), Integer.parseInt(gid)};
    }

    /** The command's trimmed output; empty when it failed, null when it could not run. */
    private static String run(String... command) throws Exception {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            return p.exitValue() == 0 ? out : "";
        } catch (IOException e) {
            return null;
        }
    }

    /** A working directory owned by the test user, inside the test's directory (opened up for it). */
    private Path userWorkDir() throws IOException {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path work = Files.createDirectories(dir.resolve("work"));
        var names = work.getFileSystem().getUserPrincipalLookupService();
        Files.setOwner(work, names.lookupPrincipalByName(TEST_USER));
        return work;
    }

    /**
     * This JVM's class path copied where the test user can read it (the originals may sit under root's
     * home, which other users cannot enter).
     */
    private String readableClassPath() throws IOException {
        Path copy = dir.resolve("classpath");
        if (Files.exists(copy)) {
            try (var entries = Files.list(copy)) {
                return String.join(":", entries.sorted().map(Path::toString).toList());
            }
        }
        return ReadableClassPath.copyInto(copy);
    }
}
