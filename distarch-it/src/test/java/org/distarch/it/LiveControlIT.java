package org.distarch.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Steering a running master from the command line: status, suspend, resume, reload, stop, max_memory. */
@ExtendWith(NoStrayProcesses.class)
class LiveControlIT {

    private static final Duration LIMIT = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** Runs one distarch command (not a master) in the test directory and captures what it prints. */
    Cli cli(String... args) throws Exception {
        return Cli.run(dir, args);
    }

    JsonNode status() throws Exception {
        Cli c = cli("status", "--json");
        assertThat(c.exit()).as(c.err()).isZero();
        return JSON.readTree(c.out());
    }

    /** Polls the status (waiting for the master's socket first) until it matches, within the limit. */
    JsonNode awaitStatus(Predicate<JsonNode> ok, String what) throws Exception {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        JsonNode s = null;
        while (System.nanoTime() < deadline) {
            Cli c = cli("status", "--json");
            if (c.exit() == 0) {
                s = JSON.readTree(c.out());
                if (ok.test(s)) {
                    return s;
                }
            }
            Thread.sleep(250);
        }
        throw new AssertionError(what + "; last status: " + (s == null ? "no master answered" : s.toPrettyString()));
    }

    static List<JsonNode> processes(JsonNode s, String group) {
        List<JsonNode> list = new ArrayList<>();
        s.path("processes").forEach(p -> {
            if (group == null || p.path("group").asText().equals(group)) {
                list.add(p);
            }
        });
        return list;
    }

    static Predicate<JsonNode> all(String group, String state, int count) {
        return s -> processes(s, group).size() == count
                && processes(s, group).stream().allMatch(p -> p.path("state").asText().equals(state));
    }

    private static String groups(String... groups) {
        return "distributed_architecture:\n  groups:\n" + String.join("", groups);
    }

    private static String working(String name, int count) {
        return "    " + name + ":\n      command: test:scripted\n      stop_timeout: 2\n"
                + "      params: {script: [\"work 600\"]}\n      local: {instances_count: " + count + "}\n";
    }

    @Test
    void statusShowsEveryProcessAndSuspendResumeWorkPerGroupAndForAll() throws Exception {
        try (MasterRun run = MasterRun.start(dir, groups(working("A", 2), working("B", 1)))) {
            awaitStatus(all(null, "RUNNING", 3), "all running");

            Cli table = cli("status");
            assertThat(table.exit()).isZero();
            assertThat(table.out()).contains("ID", "GROUP", "PROCESS", "STATE", "LAST OUTPUT")
                    .containsPattern("(?m)^1\\s+A\\s+localhost\\s+test:scripted/1/1\\s+RUNNING\\s+\\d+");
            JsonNode s = status();
            assertThat(processes(s, null)).allSatisfy(p -> {
                assertThat(p.path("pid").asLong()).isPositive();
                assertThat(p.path("rssBytes").asLong()).isPositive();
            });

            Cli suspend = cli("suspend", "A");
            assertThat(suspend.exit()).as(suspend.err()).isZero();
            assertThat(suspend.out()).contains("Suspended group \"A\": 2 processes asked to stop");
            awaitStatus(all("A", "STOPPED", 2).and(all("B", "RUNNING", 1)), "A suspended, B running");
            assertThat(status().path("suspendedGroups").get(0).asText()).isEqualTo("A");

            assertThat(cli("resume", "A").exit()).isZero();
            s = awaitStatus(all(null, "RUNNING", 3), "A resumed");
            assertThat(processes(s, "A")).allSatisfy(p -> assertThat(p.path("restarts").asInt()).isEqualTo(1));

            Cli force = cli("suspend", "--force");
            assertThat(force.out()).contains("Suspended all groups: 3 processes killed");
            awaitStatus(all(null, "STOPPED", 3), "all suspended");
            assertThat(run.process.isAlive()).as("a master whose groups are all suspended waits").isTrue();
            run.awaitLine(l -> l.contains("Stopped (killed by signal 9 (SIGKILL))"), LIMIT); // logged by a listener

            assertThat(cli("resume").exit()).isZero();
            awaitStatus(all(null, "RUNNING", 3), "all resumed");

            Cli unknown = cli("suspend", "Nope");
            assertThat(unknown.exit()).isEqualTo(1);
            assertThat(unknown.err()).contains("No group named \"Nope\"; groups: A, B");

            assertThat(cli("stop").exit()).isZero();
            assertThat(run.awaitExit(LIMIT)).isZero();
            assertThat(run.lines()).anyMatch(l -> l.contains("[master] Suspended group \"A\""));
            assertThat(run.lines()).anyMatch(l -> l.contains("[master] Resumed all groups"));
        }
        Cli none = cli("status");
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).contains("no master");
    }

    @Test
    void reloadAppliesOnlyTheDifferenceAndRefusesABrokenFile() throws Exception {
        try (MasterRun run = MasterRun.start(dir, groups(working("A", 2), working("B", 1), working("C", 1)))) {
            awaitStatus(all(null, "RUNNING", 4), "all running");
            long cPid = processes(status(), "C").get(0).path("pid").asLong();
            Path config = dir.resolve("distarch.yaml");
            Files.writeString(config, groups(working("A", 3), working("C", 1), working("D", 1)));

            Cli plan = cli("reload", "--dry-run");
            assertThat(plan.exit()).as(plan.err()).isZero();
            assertThat(plan.out()).contains("would make 3 changes",
                    "+ start   [A] [localhost] [test:scripted/5/3] (instances raised to 3 from 2)",
                    "+ start   [D] [localhost] [test:scripted/6/1] (new group)",
                    "- stop    [B] [localhost] [test:scripted/3/1] (group removed)");
            assertThat(processes(status(), null)).hasSize(4);

            Cli reload = cli("reload");
            assertThat(reload.exit()).as(reload.err()).isZero();
            JsonNode s = awaitStatus(all("A", "RUNNING", 3).and(all("D", "RUNNING", 1)).and(all("B", "RUNNING", 0)),
                    "reloaded");
            assertThat(processes(s, "C").get(0).path("pid").asLong()).as("C untouched").isEqualTo(cPid);

            String changedC = working("C", 1).replace("work 600", "work 601");
            Files.writeString(config, groups(working("A", 3), changedC, working("D", 1)));
            Cli other = cli("config:plan");
            assertThat(other.out()).contains("~ restart [C] [localhost] [test:scripted/4/1] (command, params or settings changed)")
                    .doesNotContain("[A]", "[D]");
            assertThat(cli("reload").exit()).isZero();
            s = awaitStatus(st -> all("C", "RUNNING", 1).test(st)
                    && processes(st, "C").get(0).path("pid").asLong() != cPid, "C restarted");
            assertThat(processes(s, "C").get(0).path("id").asInt()).isEqualTo(4);

            Files.writeString(config, groups("    A:\n      command: test:scripted\n      local: {instances_count: 0}\n"));
            Cli broken = cli("reload");
            assertThat(broken.exit()).isEqualTo(1);
            assertThat(broken.err()).contains("Reload refused, the running fleet is untouched",
                    "distributed_architecture.groups.A.local.instances_count: must be at least 1 (got 0)");
            assertThat(processes(status(), null)).hasSize(5);

            Path alternative = dir.resolve("other.yaml");
            Files.writeString(alternative, groups(working("A", 1)));
            Cli planOther = cli("config:plan", "--config", alternative.toString());
            assertThat(planOther.out()).contains("- stop    [A] [localhost] [test:scripted/5/3]",
                    "- stop    [D] [localhost] [test:scripted/6/1] (group removed)");
            assertThat(processes(status(), null)).hasSize(5);

            assertThat(cli("stop").exit()).isZero();
            assertThat(run.awaitExit(LIMIT)).isZero();
            assertThat(run.lines()).anyMatch(l -> l.contains("[master] Reloading ") && l.contains("3 changes"));
        }
    }

    @Test
    void sigusr1ReloadsTheConfigurationAndABrokenFileIsOnlyLogged() throws Exception {
        try (MasterRun run = MasterRun.start(dir, groups(working("A", 1)))) {
            awaitStatus(all("A", "RUNNING", 1), "running");
            Path config = dir.resolve("distarch.yaml");
            Files.writeString(config, groups("    A: [broken\n"));
            new ProcessBuilder("kill", "-USR1", Long.toString(run.process.pid())).start().waitFor();
            run.awaitLine(l -> l.contains("ERROR [master] SIGUSR1: reload refused"), LIMIT);
            Files.writeString(config, groups(working("A", 2)));
            new ProcessBuilder("kill", "-USR1", Long.toString(run.process.pid())).start().waitFor();
            awaitStatus(all("A", "RUNNING", 2), "reloaded by SIGUSR1");
            assertThat(cli("stop").exit()).isZero();
            assertThat(run.awaitExit(LIMIT)).isZero();
        }
    }

    @Test
    void aWorkerAboveMaxMemoryIsRestartedGracefully() throws Exception {
        String yaml = groups("    Hungry:\n      command: test:scripted\n      max_memory: 8M\n"
                + "      params: {script: [\"work 600\"]}\n      local: ~\n");
        try (MasterRun run = MasterRun.start(dir, yaml)) {
            String line = run.awaitLine(l -> l.contains("above max_memory 8.0 MiB"), LIMIT);
            assertThat(line).contains("[Hungry] [localhost] [test:scripted/1/1] Stopping... (memory ");
            awaitStatus(s -> processes(s, "Hungry").get(0).path("restarts").asInt() >= 1
                    && processes(s, "Hungry").get(0).path("state").asText().equals("RUNNING"), "restarted");
            assertThat(run.lines()).noneMatch(l -> l.contains("Given up"));
            assertThat(cli("stop").exit()).isZero();
            assertThat(run.awaitExit(LIMIT)).isZero();
        }
    }

    private Path socket() {
        return dir.resolve("var/log/distributed_architecture.sock");
    }

    private static SocketChannel connect(Path socket) throws IOException {
        return SocketChannel.open(UnixDomainSocketAddress.of(socket));
    }

    private static void send(SocketChannel c, String text) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) {
            c.write(b);
        }
    }

    /** Everything the master writes until it closes the connection. */
    private static String readAll(SocketChannel c) throws IOException {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        ByteBuffer b = ByteBuffer.allocate(4096);
        while (c.read(b) >= 0) {
            text.write(b.array(), 0, b.position());
            b.clear();
        }
        return text.toString(StandardCharsets.UTF_8);
    }

    /**
     * Regression: one thread served the control socket with no read timeout, so one client that connected
     * and sent nothing made status, suspend and stop hang for everyone; and 143 of 200 simultaneous
     * connections got EAGAIN from the default listen backlog.
     */
    @Test
    void oneIdleClientNoLongerBlocksTheControlSocketAndIsCutOffWithAnError() throws Exception {
        try (MasterRun run = MasterRun.start(dir, groups(working("A", 1)))) {
            awaitStatus(all("A", "RUNNING", 1), "running");
            try (SocketChannel idle = connect(socket()); SocketChannel stalled = connect(socket())) {
                send(stalled, "{\"op\":\"sto");
                long start = System.nanoTime();
                Cli status = cli("status");
                assertThat(status.exit()).as(status.err()).isZero();
                assertThat(status.out()).contains("RUNNING");
                assertThat(Duration.ofNanos(System.nanoTime() - start)).as("status beside an idle client")
                        .isLessThan(Duration.ofSeconds(4));
                Cli suspend = cli("suspend", "A");
                assertThat(suspend.exit()).as(suspend.err()).isZero();

                List<SocketChannel> many = new ArrayList<>();
                try {
                    for (int i = 0; i < 200; i++) {
                        SocketChannel c = SocketChannel.open(java.net.StandardProtocolFamily.UNIX);
                        many.add(c);
                        c.configureBlocking(false);
                        assertThat(c.connect(UnixDomainSocketAddress.of(socket()))).as("connection %d", i).isTrue();
                    }
                    for (SocketChannel c : many) {
                        c.configureBlocking(true);
                        send(c, "{\"op\":\"status\"}\n");
                    }
                    for (SocketChannel c : many) {
                        assertThat(JSON.readTree(readAll(c)).path("status").path("pid").asLong())
                                .isEqualTo(run.process.pid());
                    }
                } finally {
                    for (SocketChannel c : many) {
                        c.close();
                    }
                }

                String cutOff = readAll(idle);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
                assertThat(JSON.readTree(cutOff).path("result").path("message").asText())
                        .isEqualTo("no complete request line within 5 s; closing the connection, nothing was done");
                assertThat(JSON.readTree(readAll(stalled)).path("result").path("ok").asBoolean(true)).isFalse();
            }
            assertThat(run.process.isAlive()).as("the stalled \"sto\" did nothing").isTrue();
            assertThat(cli("stop").exit()).isZero();
            assertThat(run.awaitExit(LIMIT)).isZero();
        }
    }

    /** Regression: the CLI waited forever on a master that accepted the connection but never answered. */
    @Test
    void theCliGivesUpOnAMasterThatNeverAnswersWithOneLine() throws Exception {
        Path socket = dir.resolve("mute.sock");
        try (ServerSocketChannel mute = ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            mute.bind(UnixDomainSocketAddress.of(socket));
            long start = System.nanoTime();
            Cli status = cli("status", "--pid", "mute.pid", "--timeout", "2");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
            assertThat(status.exit()).isEqualTo(2);
            assertThat(status.err()).isEqualTo("no answer from the master on mute.sock within 2 s (it may be busy "
                    + "or stuck); an action sent may still take effect" + System.lineSeparator());
            Cli stop = cli("stop", "--pid", "mute.pid", "--timeout", "1");
            assertThat(stop.exit()).isEqualTo(2);
            assertThat(stop.err()).startsWith("no answer from the master on mute.sock within 1 s");
        }
    }

    /** Regression: the protocol took the last of duplicate keys, so {"op":"status","op":"stop"} stopped the master. */
    @Test
    void duplicateKeysAreRefusedAndTheMasterKeepsRunning() throws Exception {
        try (MasterRun run = MasterRun.start(dir, groups(working("A", 1)))) {
            awaitStatus(all("A", "RUNNING", 1), "running");
            for (String request : List.of("{\"op\":\"status\",\"op\":\"stop\"}",
                    "{\"op\":\"reload\",\"dry_run\":true}", "{\"op\":\"status\"} {\"op\":\"stop\"}")) {
                try (SocketChannel c = connect(socket())) {
                    send(c, request + "\n");
                    JsonNode result = JSON.readTree(readAll(c)).path("result");
                    assertThat(result.path("ok").asBoolean(true)).as(request).isFalse();
                    assertThat(result.path("message").asText()).as(request)
                            .startsWith("malformed ControlRequest: ").endsWith("; nothing was done");
                }
            }
            Thread.sleep(1000);
            assertThat(run.process.isAlive()).isTrue();
            assertThat(status().path("processes").get(0).path("restarts").asInt()).isZero();
            assertThat(run.lines()).noneMatch(l -> l.contains("Stopping...") || l.contains("Reloading"));
            assertThat(cli("stop").exit()).isZero();
            assertThat(run.awaitExit(LIMIT)).isZero();
        }
    }

    /** Regression: another user's status said "no master answers… may have stopped" when it was permission denied. */
    @Test
    void anotherUsersStatusSaysPermissionDeniedAndNamesTheOwner() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root to run as nobody");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "needs setpriv");
        String classPath = ReadableClassPath.copyInto(dir.resolve("classpath"));
        try (MasterRun run = MasterRun.start(dir, groups(working("A", 1)))) {
            awaitStatus(all("A", "RUNNING", 1), "running");
            Set<PosixFilePermission> open = PosixFilePermissions.fromString("rwxr-xr-x");
            for (Path p : List.of(dir, dir.resolve("var"), dir.resolve("var/log"))) {
                Files.setPosixFilePermissions(p, open);
            }
            Cli denied = cliAsNobody(classPath, "status");
            assertThat(denied.exit()).as(denied.out() + denied.err()).isEqualTo(2);
            assertThat(denied.err().strip()).isEqualTo("permission denied: the master belongs to root (its control "
                    + "socket var/log/distributed_architecture.sock is for its owner only); run this as root");

            Files.setPosixFilePermissions(dir.resolve("var/log"), PosixFilePermissions.fromString("rwx------"));
            Cli hidden = cliAsNobody(classPath, "suspend");
            assertThat(hidden.exit()).isEqualTo(2);
            assertThat(hidden.err().strip()).isEqualTo("permission denied: the master belongs to root ("
                    + dir.resolve("var/log") + " cannot be entered by nobody); run this as root");
            assertThat(run.lines()).noneMatch(l -> l.contains("Suspended"));
            assertThat(cli("stop").exit()).isZero();
            assertThat(run.awaitExit(LIMIT)).isZero();
        }
    }

    private Cli cliAsNobody(String classPath, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("/usr/bin/setpriv", "--reuid=65534", "--regid=65534",
                "--clear-groups"));
        command.addAll(Jvm.java(classPath, TestApp.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().put("DISTARCH_ADMIN_PORT", "auto");
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Cli(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    static String read(Path p) throws IOException {
        return Files.readString(p, StandardCharsets.UTF_8);
    }
}
