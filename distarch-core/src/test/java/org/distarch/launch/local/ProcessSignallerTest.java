package org.distarch.launch.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.distarch.testing.NoStrayThreads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Signals to process groups go out from the signaller's own thread, many groups per kill. */
@ExtendWith(NoStrayThreads.class)
class ProcessSignallerTest {

    @TempDir
    Path dir;

    private static Process group(String... command) throws Exception {
        List<String> words = new ArrayList<>(List.of("setsid"));
        words.addAll(List.of(command));
        return new ProcessBuilder(words).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static void awaitGone(Process p) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(p.isAlive()).isFalse();
    }

    /** Regression (one-model issue, defect 5): stopping forked kill and waited up to 2 s on the supervision thread. */
    @Test
    void signallingNeverWaitsForKillOnTheCallersThread() throws Exception {
        // A kill that takes its time, and records how many groups each call was given.
        Path calls = dir.resolve("calls");
        Path slowKill = dir.resolve("slow-kill");
        Files.writeString(slowKill, "#!/bin/sh\nsleep 1\necho \"$#\" >> " + calls + "\nexec kill \"$@\"\n");
        Files.setPosixFilePermissions(slowKill, PosixFilePermissions.fromString("rwx------"));
        List<Process> workers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            workers.add(group("sleep", "60"));
        }
        try (ProcessSignaller signaller = new ProcessSignaller(slowKill.toString())) {
            for (Process w : workers) {
                signaller.signalGroup("TERM", w.pid());
            }
            // Every request returned, and no signal was sent yet: nobody waited for a kill to run.
            assertThat(workers).allMatch(Process::isAlive);
            for (Process w : workers) {
                awaitGone(w);
            }
        }
        // Twenty groups, but the requests that queued while the first kill ran went out in one more.
        List<String> perCall = Files.readAllLines(calls);
        assertThat(perCall.size()).isLessThanOrEqualTo(3);
        assertThat(perCall.stream().mapToInt(c -> Integer.parseInt(c) - 2).sum()).isEqualTo(20);
    }

    @Test
    void killTreeTakesDescendantsThatLeftTheGroup() throws Exception {
        // A worker whose child started a session of its own, as a daemon would: out of reach of a group kill.
        Process worker = new ProcessBuilder("setsid", "sh", "-c", "setsid sleep 60 & echo $!; exec sleep 60")
                .redirectErrorStream(true).start();
        long escaped = Long.parseLong(new java.io.BufferedReader(new java.io.InputStreamReader(worker.getInputStream()))
                .readLine().trim());
        ProcessHandle child = ProcessHandle.of(escaped).orElseThrow();
        try (ProcessSignaller signaller = new ProcessSignaller()) {
            signaller.killTree(worker.toHandle());
            awaitGone(worker);
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (child.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(child.isAlive()).isFalse();
        }
    }
}
