package org.distarch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** run-master --stop: exit 0 gone, 1 not in time, 2 no master (no file, or a stale one). */
class StopMasterTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final StopMaster stopper = new StopMaster(new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    private Process helper;

    @AfterEach
    void stopHelper() throws Exception {
        if (helper != null) {
            helper.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private Path pidFileFor(Process p) throws Exception {
        Path file = dir.resolve("master.pid");
        Files.writeString(file, new PidFile.Entry(p.pid(), ProcInfo.startToken(p.pid()), "running").render());
        return file;
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void noPidFileMeansNoMaster() throws Exception {
        assertThat(stopper.stop(dir.resolve("none.pid"), Duration.ofSeconds(1))).isEqualTo(2);
        assertThat(err()).contains("No master is running: there is no pid file at " + dir.resolve("none.pid"));
    }

    @Test
    void aStalePidFileMeansNoMasterAndNothingIsSignalled() throws Exception {
        Path file = dir.resolve("stale.pid");
        Files.writeString(file, ProcessHandle.current().pid() + "\nstart=1\n");
        assertThat(stopper.stop(file, Duration.ofSeconds(1))).isEqualTo(2);
        assertThat(err()).contains("No master is running: the pid file " + file + " is stale (pid "
                + ProcessHandle.current().pid() + " now belongs to another program");
    }

    @Test
    void aMasterThatEndsOnSigtermIsWaitedFor() throws Exception {
        helper = new ProcessBuilder("sleep", "60").start();
        assertThat(stopper.stop(pidFileFor(helper), Duration.ofSeconds(30))).isZero();
        assertThat(helper.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Sent SIGTERM to master pid " + helper.pid(),
                "Master pid " + helper.pid() + " stopped.");
    }

    @Test
    void aMasterThatDoesNotEndInTimeIsReportedAndLeftRunning() throws Exception {
        helper = new ProcessBuilder("sh", "-c", "trap '' TERM; echo ready; sleep 60; true").start();
        helper.getInputStream().read(); // the trap is set
        assertThat(stopper.stop(pidFileFor(helper), Duration.ofMillis(300))).isEqualTo(1);
        assertThat(err()).contains("did not stop within");
        assertThat(helper.isAlive()).isTrue();
    }
}
