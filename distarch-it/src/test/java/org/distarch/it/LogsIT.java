package org.distarch.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code distarch logs}, {@code top} and per-process log files, with a real master, real shell workers writing
 * to stdout and stderr, and the real command line.
 */
@ExtendWith(NoStrayProcesses.class)
class LogsIT {

    private static final Duration LIMIT = Duration.ofSeconds(90);
    /** Prints a numbered line on stdout and one on stderr every 0.2 s. */
    private static final String CHATTY = "-c 'i=0; while :; do i=$((i+1)); echo \"out $i\"; echo \"err $i\" >&2; "
            + "sleep 0.2; done'";
    private static final String LINE = "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} ";

    @TempDir
    Path dir;

    private final List<Process> clients = new ArrayList<>();

    @AfterEach
    void endClients() throws Exception {
        for (Process p : clients) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static List<String> lines(Cli cli) {
        return cli.out().lines().toList();
    }

    @Test
    void logsShowsTheLastLinesOfAProcessWithTheirStreamAndLevelAndRefusesUnknownNames() throws Exception {
        String yaml = """
                distributed_architecture:
                  groups:
                    W:
                      command: %s
                      bin_path: /bin/sh
                      local: {instances_count: 2}
                    Other:
                      command: -c 'while :; do echo "other out"; echo "other err" >&2; sleep 0.2; done'
                      bin_path: /bin/sh
                      logs: {stderr_level: error}
                      local: ~
                """.formatted(CHATTY);
        try (MasterRun run = MasterRun.start(dir, yaml)) {
            run.awaitLine(l -> l.contains("/1/1] err 6"), LIMIT);
            run.awaitLine(l -> l.contains("/2/2] err 3"), LIMIT);
            run.awaitLine(l -> l.endsWith("] other err"), LIMIT);
            Cli last = Cli.run(dir, "logs", "--lines", "5", "1");
            assertThat(last.exit()).as(last.err()).isZero();
            assertThat(lines(last)).hasSize(5).allMatch(l -> l.matches(LINE
                    + "(INFO  W/1 \\(id 1, localhost\\) stdout: out|WARN  W/1 \\(id 1, localhost\\) stderr: err) \\d+"));
            assertThat(lines(last)).anyMatch(l -> l.contains(" stdout: ")).anyMatch(l -> l.contains(" stderr: "));
            // The master's own marker comes first in the process's history.
            assertThat(lines(Cli.run(dir, "logs", "--lines", "100000", "W/1")).get(0))
                    .matches(LINE + "INFO  W/1 \\(id 1, localhost\\) master: Starting");

            List<String> other = lines(Cli.run(dir, "logs", "--group", "Other", "--lines", "4"));
            assertThat(other).hasSize(4).allMatch(l -> l.contains(" Other/1 (id 3, localhost) "));
            assertThat(other).anyMatch(l -> l.contains("ERROR Other/1 (id 3, localhost) stderr: other err"))
                    .anyMatch(l -> l.contains("INFO  Other/1 (id 3, localhost) stdout: other out"));
            assertThat(lines(Cli.run(dir, "logs", "--lines", "3", "W/2"))).hasSize(3)
                    .allMatch(l -> l.contains(" W/2 (id 2, localhost) "));

            Cli unknown = Cli.run(dir, "logs", "7");
            assertThat(unknown.exit()).isEqualTo(1);
            assertThat(unknown.err()).contains("No process \"7\" (give its id, as status shows, or group/groupId");
            Cli noGroup = Cli.run(dir, "logs", "--group", "Nope");
            assertThat(noGroup.exit()).isEqualTo(1);
            assertThat(noGroup.err().strip()).isEqualTo("No group named \"Nope\"; groups: W, Other");
            // The combined log tells the streams apart by level too.
            assertThat(run.lines()).anyMatch(l -> l.contains("WARN  [W] [localhost] [") && l.contains("/1/1] err "))
                    .anyMatch(l -> l.contains("INFO  [W] [localhost] [") && l.contains("/1/1] out "));
        }
    }

    @Test
    void followSeesNewLinesAsTheyComeAndEndsCleanlyWhenInterrupted() throws Exception {
        String yaml = """
                distributed_architecture:
                  groups:
                    W:
                      command: %s
                      bin_path: /bin/sh
                      local: ~
                """.formatted(CHATTY);
        try (MasterRun run = MasterRun.start(dir, yaml)) {
            run.awaitLine(l -> l.contains("/1/1] out 2"), LIMIT);
            Path out = dir.resolve("follow.out");
            Process follower = client(out, "logs", "-f", "--lines", "1", "1");
            await(() -> count(out) >= 1);
            int first = number(lastLine(out));
            // New lines arrive while it follows. Not "the last line is newer": stdout and stderr are separate pipes,
            // so on a loaded machine a few stderr lines of earlier rounds may be added after the newest stdout line.
            await(() -> count(out) >= 8 && maxNumber(out) > first);
            new ProcessBuilder("kill", "-INT", Long.toString(follower.pid())).start().waitFor();
            assertThat(follower.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(follower.exitValue()).isIn(0, 130);
            assertThat(Files.readString(dir.resolve("follow.out.err"))).doesNotContain("Exception");
            assertThat(run.process.isAlive()).isTrue();
        }
    }

    @Test
    void logsOverTheHttpApiPrintAsOverTheSocketAndFollow() throws Exception {
        String yaml = """
                distributed_architecture:
                  groups:
                    W:
                      command: %s
                      bin_path: /bin/sh
                      local: {instances_count: 2}
                """.formatted(CHATTY);
        try (MasterRun run = MasterRun.start(dir, yaml)) {
            run.awaitLine(l -> l.contains("HTTP API at http://127.0.0.1:"), LIMIT);
            run.awaitLine(l -> l.contains("/1/1] err 3"), LIMIT);
            run.awaitLine(l -> l.contains("/2/2] err 3"), LIMIT);
            Path pid = dir.resolve("var/log/distributed_architecture.pid");
            String url = Files.readString(pid.resolveSibling("distributed_architecture.admin-url")).trim();
            java.util.Map<String, String> env = java.util.Map.of("DISTARCH_TOKEN",
                    Files.readString(pid.resolveSibling("distributed_architecture.admin-token")).trim());

            Cli http = Cli.run(dir, env, "logs", "--lines", "100000", "W/2", "--url", url);
            assertThat(http.exit()).as(http.err()).isZero();
            Cli socket = Cli.run(dir, "logs", "--lines", "100000", "W/2");
            List<String> overHttp = lines(http);
            assertThat(overHttp.get(0)).matches(LINE + "INFO  W/2 \\(id 2, localhost\\) master: Starting");
            assertThat(overHttp).allMatch(l -> l.contains(" W/2 (id 2, localhost) "))
                    .anyMatch(l -> l.matches(LINE + "WARN  W/2 \\(id 2, localhost\\) stderr: err \\d+"));
            // The socket, asked a moment later, has at least what HTTP had, in the same words.
            assertThat(lines(socket)).startsWith(overHttp.toArray(new String[0]));
            Cli json = Cli.run(dir, env, "logs", "--json", "--lines", "2", "--group", "W", "--url", url);
            assertThat(lines(json)).hasSize(2).allMatch(l -> l.startsWith("{") && l.contains("\"group\":\"W\""));

            Cli unknown = Cli.run(dir, env, "logs", "7", "--url", url);
            assertThat(unknown.exit()).isEqualTo(1);
            assertThat(unknown.err()).contains("No process \"7\" (give its id, as status shows, or group/groupId");
            Cli noToken = Cli.run(dir, "logs", "1", "--url", url);
            assertThat(noToken.exit()).isEqualTo(1);
            assertThat(noToken.err()).contains("401").contains("DISTARCH_TOKEN");

            Path out = dir.resolve("follow.out");
            List<String> args = new ArrayList<>(command(new String[] {"logs", "-f", "--lines", "1", "1", "--url", url}));
            ProcessBuilder builder = new ProcessBuilder(args).directory(dir.toFile()).redirectOutput(out.toFile())
                    .redirectError(dir.resolve("follow.out.err").toFile());
            builder.environment().putAll(env);
            Process follower = builder.start();
            clients.add(follower);
            await(() -> count(out) >= 1);
            int first = number(lastLine(out));
            // New lines arrive while it follows. Not "the last line is newer": stdout and stderr are separate pipes,
            // so on a loaded machine a few stderr lines of earlier rounds may be added after the newest stdout line.
            await(() -> count(out) >= 8 && maxNumber(out) > first);
            assertThat(Files.readAllLines(out)).allMatch(l -> l.matches(LINE
                    + "(INFO  W/1 \\(id 1, localhost\\) stdout: out|WARN  W/1 \\(id 1, localhost\\) stderr: err) \\d+"));
            follower.destroy();
            assertThat(follower.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(Files.readString(dir.resolve("follow.out.err"))).doesNotContain("Exception");
            assertThat(run.process.isAlive()).isTrue();
        }
    }

    @Test
    void perProcessFilesRotateAtMaxBytesKeepTheirBackupsAndReopenOnRequest() throws Exception {
        Path logs = dir.resolve("plogs");
        String yaml = """
                distributed_architecture:
                  groups:
                    W:
                      command: %s
                      bin_path: /bin/sh
                      logs: {dir: %s, max_bytes: 2K, backups: 2}
                      local: {instances_count: 2}
                """.formatted(CHATTY, logs);
        try (MasterRun run = MasterRun.start(dir, yaml)) {
            Path file = logs.resolve("W-1.log");
            await(() -> Files.exists(logs.resolve("W-1.log.2")) && Files.exists(logs.resolve("W-2.log.1")));
            run.awaitLine(l -> l.contains("/1/1] out 60"), LIMIT); // more than three files' worth
            assertThat(logs.resolve("W-1.log.3")).doesNotExist();
            for (Path p : List.of(file, logs.resolve("W-1.log.1"), logs.resolve("W-1.log.2"))) {
                assertThat(Files.size(p)).as(p.toString()).isLessThanOrEqualTo(2048);
                assertThat(Files.readAllLines(p)).allMatch(l -> l.matches(LINE
                        + "(INFO  stdout out|WARN  stderr err) \\d+|" + LINE + "INFO  master Starting"));
            }
            assertThat(firstNumber(logs.resolve("W-1.log.2"))).isLessThan(firstNumber(logs.resolve("W-1.log.1")));

            Path moved = logs.resolve("W-1.log.moved");
            Files.move(file, moved);
            Cli reopen = Cli.run(dir, "logs", "--reopen");
            assertThat(reopen.exit()).as(reopen.err()).isZero();
            assertThat(reopen.out().strip()).isEqualTo("Reopening the log files");
            await(() -> Files.exists(file) && count(file) >= 2);
            // What follows the reopen is in the new file (a line's stdout and stderr twins may straddle it).
            assertThat(firstNumber(file)).isGreaterThanOrEqualTo(number(lastLine(moved)));

            // The same over the HTTP API (logs --reopen --url), audited.
            Path pid = dir.resolve("var/log/distributed_architecture.pid");
            String url = Files.readString(pid.resolveSibling("distributed_architecture.admin-url")).trim();
            java.util.Map<String, String> env = java.util.Map.of("DISTARCH_TOKEN",
                    Files.readString(pid.resolveSibling("distributed_architecture.admin-token")).trim());
            Path movedAgain = logs.resolve("W-1.log.moved-again");
            Files.move(file, movedAgain);
            Cli overHttp = Cli.run(dir, env, "logs", "--reopen", "--url", url);
            assertThat(overHttp.exit()).as(overHttp.err()).isZero();
            assertThat(overHttp.out().strip()).isEqualTo("Reopening the log files");
            await(() -> Files.exists(file) && count(file) >= 2);
            assertThat(firstNumber(file)).isGreaterThanOrEqualTo(number(lastLine(movedAgain)));
            run.awaitLine(l -> l.contains("Admin API: access-token (admin)") && l.contains("logs --reopen"), LIMIT);
        }
    }

    @Test
    void aServiceReopensItsLogAndThePerProcessFilesOnSighup() throws Exception {
        Path logs = dir.resolve("plogs");
        Files.writeString(dir.resolve("distarch.yaml"), """
                distributed_architecture:
                  groups:
                    W:
                      command: %s
                      bin_path: /bin/sh
                      logs: {dir: %s}
                      local: ~
                """.formatted(CHATTY, logs));
        List<String> args = new ArrayList<>(List.of("run-master", "--config", "distarch.yaml", "--service"));
        if ("root".equals(System.getProperty("user.name"))) {
            args.addAll(List.of("--user", "root")); // as root a service must name its user
        }
        MasterRun launcher = MasterRun.startRaw(dir, args);
        assertThat(launcher.awaitExit(LIMIT)).as(launcher.tail()).isZero();
        Path pidFile = dir.resolve("var/log/distributed_architecture.pid");
        long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).strip().split("\\s+")[0]);
        try {
            Path serviceLog = dir.resolve("var/log/distributed_architecture.log");
            Path file = logs.resolve("W-1.log");
            await(() -> count(file) >= 4);
            Files.move(serviceLog, serviceLog.resolveSibling("service.log.1"));
            Files.move(file, logs.resolve("W-1.log.1"));
            assertThat(new ProcessBuilder("kill", "-HUP", Long.toString(pid)).start().waitFor()).isZero();
            await(() -> count(file) >= 2 && count(serviceLog) >= 2);
            assertThat(Files.readString(serviceLog)).contains("] out ");
            assertThat(Files.readString(logs.resolve("W-1.log.1"))).contains("stdout out");
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);
        } finally {
            Cli stop = Cli.run(dir, "run-master", "--stop");
            assertThat(stop.exit()).as(stop.err()).isZero();
        }
    }

    @Test
    void topOnceShowsTheFleetWithItsTotals() throws Exception {
        String yaml = """
                distributed_architecture:
                  groups:
                    W:
                      command: %s
                      bin_path: /bin/sh
                      local: {instances_count: 2}
                """.formatted(CHATTY);
        try (MasterRun run = MasterRun.start(dir, yaml)) {
            run.awaitLine(l -> l.contains("/1/1] out 2"), LIMIT);
            run.awaitLine(l -> l.contains("/2/2] out 2"), LIMIT);
            Cli top = Cli.run(dir, "top", "--once");
            assertThat(top.exit()).as(top.err()).isZero();
            List<String> frame = lines(top);
            assertThat(frame.get(0)).startsWith("distarch top - master pid " + run.process.pid() + ", up ")
                    .endsWith(", 2 processes: 2 running");
            assertThat(frame.get(1)).startsWith("memory ").contains(", restarts 0").contains("filter: all groups");
            assertThat(frame).anyMatch(l -> l.startsWith("ID  GROUP  HOST"));
            assertThat(frame).anyMatch(l -> l.matches("1 +W +localhost +.*/1/1 +RUNNING +\\d+ +.* (out|err) \\d+"));
            assertThat(frame).anyMatch(l -> l.matches("2 +W +localhost +.*/2/2 +RUNNING +\\d+ +.*"));
            assertThat(frame).noneMatch(l -> l.contains("\u001b"));
            Cli filtered = Cli.run(dir, "top", "--once", "--group", "None");
            assertThat(lines(filtered)).contains("(no process matches the filter)");
        }
    }

    /**
     * A worker floods while a follower stops reading: the flood is all read and logged, another group's
     * worker is heard meanwhile and status answers; the stuck follower is cut off with a notice once it reads.
     */
    @Test
    void aFloodingWorkerAndAFollowerThatDoesNotReadHoldUpNeitherSupervisionNorTheFlood() throws Exception {
        String yaml = """
                distributed_architecture:
                  groups:
                    Tick:
                      command: -c 'while :; do echo tick; sleep 0.2; done'
                      bin_path: /bin/sh
                      local: ~
                    Flood:
                      command: -c 'while [ ! -e go ]; do sleep 0.1; done; seq 1 200000; echo flood done; exec sleep 600'
                      bin_path: /bin/sh
                      local: ~
                """;
        try (MasterRun run = MasterRun.start(dir, yaml)) {
            run.awaitLine(l -> l.endsWith("] tick"), LIMIT);
            ProcessBuilder pb = new ProcessBuilder(command("logs", "-f", "--lines", "0")).directory(dir.toFile())
                    .redirectError(dir.resolve("stuck.err").toFile());
            Process stuck = pb.start(); // its stdout is a pipe nobody reads
            clients.add(stuck);
            Thread.sleep(1000); // let it connect and subscribe
            Files.writeString(dir.resolve("go"), "");
            await(() -> lines(uncheckedCli("logs", "--lines", "1", "Flood/1")).stream()
                    .anyMatch(l -> l.endsWith("stdout: flood done")));
            Cli status = Cli.run(dir, "status");
            assertThat(status.exit()).as(status.err()).isZero();
            String tick = lines(uncheckedCli("logs", "--json", "--lines", "1", "Tick/1")).get(0);
            long tickSeq = Long.parseLong(tick.replaceAll(".*\"seq\":(\\d+).*", "$1"));
            String flood = lines(uncheckedCli("logs", "--json", "--lines", "1", "Flood/1")).get(0);
            long floodEnd = Long.parseLong(flood.replaceAll(".*\"seq\":(\\d+).*", "$1"));
            await(() -> Long.parseLong(lines(uncheckedCli("logs", "--json", "--lines", "1", "Tick/1")).get(0)
                    .replaceAll(".*\"seq\":(\\d+).*", "$1")) > Math.max(tickSeq, floodEnd));
            // Whether the follower is still blocked on its full stdout pipe or was cut off before it filled is
            // the scheduler's choice; either way, once its output is read, it says it was cut off.
            try (InputStream in = stuck.getInputStream()) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
            }
            assertThat(stuck.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(stuck.exitValue()).isEqualTo(1);
            assertThat(Files.readString(dir.resolve("stuck.err")))
                    .contains("the master ended the stream: too slow: ").contains("lines were dropped");
            run.awaitLine(l -> l.endsWith("] 200000"), LIMIT);
        }
    }

    // ---- helpers -----------------------------------------------------------------------------------------

    private Cli uncheckedCli(String... args) {
        try {
            return Cli.run(dir, args);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> command(String... args) {
        List<String> command = new ArrayList<>(Jvm.testApp());
        command.addAll(List.of(args));
        return command;
    }

    private Process client(Path out, String... args) throws Exception {
        Process p = new ProcessBuilder(command(args)).directory(dir.toFile()).redirectOutput(out.toFile())
                .redirectError(out.resolveSibling(out.getFileName() + ".err").toFile()).start();
        clients.add(p);
        return p;
    }

    private static int count(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8).size() : 0;
        } catch (java.io.IOException e) {
            return 0; // moved away in between
        }
    }

    private static String lastLine(Path file) throws Exception {
        List<String> l = Files.readAllLines(file, StandardCharsets.UTF_8);
        return l.get(l.size() - 1);
    }

    /** The number of the first numbered line of a file (a marker line may come first). */
    private static int firstNumber(Path file) throws Exception {
        return Files.readAllLines(file).stream().filter(l -> l.matches(".*\\d$")).findFirst().map(LogsIT::number)
                .orElseThrow();
    }

    /** The number at the end of a line ("... out 12"). */
    private static int maxNumber(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> l.matches(".*\\D\\d+$"))
                    .mapToInt(LogsIT::number).max().orElse(-1);
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    private static int number(String line) {
        return Integer.parseInt(line.replaceAll(".*\\D(\\d+)$", "$1"));
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + LIMIT);
            }
            Thread.sleep(200);
        }
    }
}
