package org.distarch.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pid file: taken once, refused while its master lives, stale ones detected and replaced, removed at exit. */
class PidFileTest {

    @TempDir
    Path dir;

    private Process helper;

    @AfterEach
    void stopHelper() throws Exception {
        if (helper != null) {
            helper.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private Path file() {
        return dir.resolve("var/log/distributed_architecture.pid");
    }

    private static long self() {
        return ProcessHandle.current().pid();
    }

    private void write(String content) throws Exception {
        Files.createDirectories(file().getParent());
        Files.writeString(file(), content);
    }

    /** A finished process: its pid is free (or reused by something started later). */
    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }

    @Test
    void acquireWritesThePidAloneOnTheFirstLineThenTheStartTokenAndState() throws Exception {
        PidFile pid = PidFile.acquire(file());
        List<String> lines = Files.readAllLines(file(), StandardCharsets.UTF_8);
        assertThat(lines).containsExactly(Long.toString(self()), "start=" + ProcInfo.startToken(self()), "state=starting");
        assertThat(pid.replacedStale()).isEmpty();
        try (var files = Files.list(file().getParent())) {
            assertThat(files.toList()).as("no temporary file left").containsExactly(file());
        }
        PidFile.Check check = PidFile.check(file());
        assertThat(check.live()).isTrue();
        assertThat(check.entry().running()).isFalse();

        pid.markRunning();
        assertThat(Files.readAllLines(file())).last().isEqualTo("state=running");
        assertThat(PidFile.check(file()).entry().running()).isTrue();

        pid.release();
        assertThat(file()).doesNotExist();
        assertThat(PidFile.check(file()).state()).isEqualTo(PidFile.State.NONE);
    }

    @Test
    void aSecondAcquireWhileTheMasterLivesIsRefused() throws Exception {
        PidFile first = PidFile.acquire(file());
        String before = Files.readString(file());
        assertThatThrownBy(() -> PidFile.acquire(file()))
                .isInstanceOf(PidFile.AlreadyRunningException.class)
                .hasMessageContaining("already running with pid " + self())
                .hasMessageContaining("run-master --stop --pid " + file());
        assertThat(Files.readString(file())).isEqualTo(before);
        first.release();
    }

    @Test
    void aPidFileOfADeadProcessIsStaleAndReplaced() throws Exception {
        long dead = deadPid();
        write(dead + "\nstart=1\nstate=running\n");
        assertThat(PidFile.check(file()).state()).isEqualTo(PidFile.State.STALE);
        PidFile pid = PidFile.acquire(file());
        assertThat(pid.replacedStale()).get().asString()
                .contains("Replaced the stale pid file " + file()).contains("process " + dead + " is not running");
        assertThat(Files.readAllLines(file()).get(0)).isEqualTo(Long.toString(self()));
        pid.release();
    }

    @Test
    void aPidNowUsedByAnotherProgramIsStaleByItsStartToken() throws Exception {
        helper = new ProcessBuilder("sleep", "60").start();
        write(helper.pid() + "\nstart=1\nstate=running\n");
        PidFile.Check check = PidFile.check(file());
        assertThat(check.state()).isEqualTo(PidFile.State.STALE);
        assertThat(check.reason()).contains("pid " + helper.pid() + " now belongs to another program (sleep 60)");
        PidFile pid = PidFile.acquire(file());
        assertThat(pid.replacedStale()).get().asString().contains("now belongs to another program");
        pid.release();
    }

    @Test
    void withoutATokenOnlyARunMasterCommandLineCountsAsLive() throws Exception {
        write(self() + "\n");
        PidFile.Check notMaster = PidFile.check(file());
        assertThat(notMaster.state()).isEqualTo(PidFile.State.STALE);
        assertThat(notMaster.reason()).contains("is not a distarch master");

        helper = new ProcessBuilder("sh", "-c", "sleep 60; true", "run-master").start();
        write(helper.pid() + "\n");
        assertThat(PidFile.check(file()).live()).isTrue();
        assertThatThrownBy(() -> PidFile.acquire(file())).isInstanceOf(PidFile.AlreadyRunningException.class);
    }

    @Test
    void aFileWithoutAPidIsStale() throws Exception {
        write("garbage\n");
        assertThat(PidFile.check(file()).reason()).isEqualTo("it holds no pid");
        write("");
        PidFile pid = PidFile.acquire(file());
        assertThat(pid.replacedStale()).get().asString().contains("it holds no pid");
        pid.release();
    }

    @Test
    void releaseLeavesAFileThatNamesAnotherMaster() throws Exception {
        PidFile pid = PidFile.acquire(file());
        String other = "4242\nstart=99\nstate=running\n";
        Files.writeString(file(), other);
        pid.release();
        pid.markRunning();
        assertThat(Files.readString(file())).isEqualTo(other);
    }

    @Test
    void entriesRoundTrip() {
        PidFile.Entry e = new PidFile.Entry(12, "345", "running");
        assertThat(PidFile.Entry.parse(e.render())).contains(e);
        assertThat(PidFile.Entry.parse("12\n")).contains(new PidFile.Entry(12, null, null));
        assertThat(PidFile.Entry.parse(" 12 \nfuture=1\n")).contains(new PidFile.Entry(12, null, null));
        assertThat(PidFile.Entry.parse("-3\n")).isEmpty();
    }
}
