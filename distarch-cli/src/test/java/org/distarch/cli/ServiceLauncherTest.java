package org.distarch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The parts of --service that need no second process: its command line, its files, the log tail. */
class ServiceLauncherTest {

    @TempDir
    Path dir;

    @Test
    void theServiceIsThisProgramAgainMarkedDetached() {
        List<String> java = ServiceLauncher.javaCommand("com.example.App");
        assertThat(java.get(0)).endsWith("java");
        assertThat(java).containsSubsequence("-cp", System.getProperty("java.class.path"), "com.example.App");
        assertThat(java).noneMatch(w -> w.startsWith("-agentlib:jdwp"));
        assertThat(ServiceLauncher.childCommand(List.of("java", "App"), List.of("run-master", "--service", "--pid", "x")))
                .containsExactly("java", "App", "run-master", "--service", "--pid", "x", "--detached");
    }

    @Test
    void prepareFilesCreatesTheDirectoriesAndTheLogFile() throws Exception {
        Path pid = dir.resolve("run/a/master.pid");
        Path log = dir.resolve("logs/master.log");
        ServiceLauncher.prepareFiles(pid, log, null);
        assertThat(pid.getParent()).isDirectory();
        assertThat(log).isRegularFile();
        Files.writeString(log, "kept\n");
        ServiceLauncher.prepareFiles(pid, log, null);
        assertThat(Files.readString(log)).isEqualTo("kept\n");
    }

    @Test
    void theTailShowsOnlyWhatTheServiceWroteAfterItsStart() throws Exception {
        Path log = dir.resolve("master.log");
        Files.writeString(log, "an earlier run\n");
        long start = Files.size(log);
        StringBuilder more = new StringBuilder();
        for (int i = 1; i <= 30; i++) {
            more.append("line ").append(i).append('\n');
        }
        Files.writeString(log, more, java.nio.file.StandardOpenOption.APPEND);
        List<String> tail = ServiceLauncher.tail(log, start, 20);
        assertThat(tail).hasSize(20).startsWith("line 11").endsWith("line 30");
        assertThat(ServiceLauncher.tail(log, start + more.length(), 20)).isEmpty();
        assertThat(ServiceLauncher.tail(log, 1_000_000, 5)).as("a truncated log").hasSize(5).endsWith("line 30");
    }
}
