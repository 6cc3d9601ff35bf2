package org.distarch.launch.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.distarch.testing.NoStrayThreads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Signals to process groups are kill(2) calls; a tree kill takes descendants that left the group. */
@ExtendWith(NoStrayThreads.class)
class ProcessSignallerTest {

    private static void awaitGone(Process p) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(p.isAlive()).isFalse();
    }

    /**
     * Issue 15: a group signal is one kill(2) call on the caller's thread, no forked {@code kill}: every member of
     * every group gets it, and a group that is gone is reported, not an error.
     */
    @Test
    void aGroupSignalReachesEveryMemberOfEveryGroupWithoutAKillProgram() throws Exception {
        List<Process> leaders = new ArrayList<>();
        List<ProcessHandle> members = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            // The leader's child stays in its group; a TERM to the leader alone would leave it running.
            Process leader = new ProcessBuilder("setsid", "sh", "-c", "sleep 60 & echo $!; wait")
                    .redirectErrorStream(true).start();
            long child = Long.parseLong(new java.io.BufferedReader(new java.io.InputStreamReader(
                    leader.getInputStream())).readLine().trim());
            leaders.add(leader);
            members.add(ProcessHandle.of(child).orElseThrow());
        }
        for (Process leader : leaders) {
            assertThat(ProcessSignaller.signalGroup("TERM", leader.pid())).isTrue();
        }
        for (Process leader : leaders) {
            awaitGone(leader);
        }
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (members.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(members).noneMatch(ProcessHandle::isAlive);
        // The groups are gone now: nothing to signal, and no exception.
        assertThat(ProcessSignaller.signalGroup("TERM", leaders.get(0).pid())).isFalse();
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
