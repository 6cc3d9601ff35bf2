package org.distarch.remote.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay's host lock, against another process holding it (a Python child: its fcntl lock is the one Java
 * takes too), a planted symbolic link and a directory that is not the user's own.
 */
class RelayLockTest {

    @TempDir
    Path home;

    private Process holder;

    @AfterEach
    void endHolder() {
        if (holder != null) {
            holder.destroyForcibly();
        }
    }

    /** A process that locks {@code file} as another relay would, writes its pid, and holds until its stdin closes. */
    private void holdInAnotherProcess(Path file) throws IOException {
        holder = new ProcessBuilder("python3", "-c", String.join("\n",
                "import fcntl, os, sys",
                "f = open(sys.argv[1], 'a+')",
                "fcntl.lockf(f, fcntl.LOCK_EX)",
                "f.truncate(0); f.write(str(os.getpid())); f.flush()",
                "print('locked', flush=True)",
                "sys.stdin.read()"), file.toString()).redirectErrorStream(true).start();
        String line = new BufferedReader(new InputStreamReader(holder.getInputStream())).readLine();
        assertThat(line).isEqualTo("locked");
    }

    @Test
    void theLockLivesInADirectoryOnlyItsUserMayEnter() throws Exception {
        Path dir = RuntimeDir.ensure(home.resolve(".distarch/run"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        try (RelayLock lock = RelayLock.acquire(dir, "G|h1|0", Duration.ofSeconds(5), () -> { })) {
            assertThat(lock.path().getParent()).isEqualTo(dir);
            assertThat(lock.path().toString()).doesNotStartWith("/tmp/distarch-relay");
        }
    }

    /** Regression (security issue, defect 2): the lock followed symlinks, so a planted link made root create any file. */
    @Test
    void aPlantedSymbolicLinkIsRefusedAndItsTargetNeverCreated() throws Exception {
        Path dir = RuntimeDir.ensure(home.resolve("run"));
        Path target = home.resolve("etc-passwd-stand-in");
        Files.createSymbolicLink(RelayLock.path(dir, "G|h1|0"), target);
        assertThatThrownBy(() -> RelayLock.acquire(dir, "G|h1|0", Duration.ofSeconds(5), () -> { }))
                .isInstanceOf(IOException.class);
        assertThat(target).doesNotExist();
    }

    @Test
    void aDirectoryOfAnotherUserOrALinkIsRefusedWithTheReason() throws Exception {
        Path theirs = home.resolve("theirs");
        Files.createDirectory(theirs);
        Files.setOwner(theirs, theirs.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
        assertThatThrownBy(() -> RuntimeDir.ensure(theirs)).hasMessageContaining("belongs to nobody");
        Path link = home.resolve("link");
        Files.createSymbolicLink(link, home);
        assertThatThrownBy(() -> RuntimeDir.ensure(link)).hasMessageContaining("not a directory of its own");
    }

    @Test
    void aSecondRelayWaitsForThePreviousOneThenHoldsTheLockItself() throws Exception {
        Path dir = RuntimeDir.ensure(home.resolve("run"));
        holdInAnotherProcess(RelayLock.path(dir, "G|h1|0"));
        CountDownLatch told = new CountDownLatch(1);
        CompletableFuture<RelayLock> second = CompletableFuture.supplyAsync(() -> {
            try {
                return RelayLock.acquire(dir, "G|h1|0", Duration.ofSeconds(30), told::countDown);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(told.await(30, TimeUnit.SECONDS)).as("told that it waits").isTrue();
        assertThat(second).isNotDone();
        holder.getOutputStream().close(); // the previous relay is done
        try (RelayLock lock = second.get(30, TimeUnit.SECONDS)) {
            assertThat(lock.holder()).isEqualTo(Long.toString(ProcessHandle.current().pid()));
            assertThat(anotherProcessCanLock(lock.path())).as("another relay can take the lock while it is held")
                    .isFalse();
        }
        assertThat(anotherProcessCanLock(RelayLock.path(dir, "G|h1|0"))).as("free once closed").isTrue();
    }

    /**
     * Regression (soak, seed 53973489): the relay read its pid back by opening the lock file by name, and closing
     * that descriptor dropped its POSIX lock, so the next relay took the lock while it still ran, and the one
     * still stopping its workers removed the newer relay's journal: a relay after that started a second copy.
     */
    @Test
    void theLockHoldsWhileTheRelayRunsAndTheFileIsKeptForTheNext() throws Exception {
        Path dir = RuntimeDir.ensure(home.resolve("run"));
        Path file;
        try (RelayLock lock = RelayLock.acquire(dir, "G|h1|0", Duration.ofSeconds(5), () -> { })) {
            file = lock.path();
            assertThat(anotherProcessCanLock(file)).isFalse();
        }
        assertThat(file).exists();
        assertThat(Files.readString(file)).isEmpty();
        try (RelayLock again = RelayLock.acquire(dir, "G|h1|0", Duration.ofSeconds(5), () -> { })) {
            assertThat(anotherProcessCanLock(again.path())).isFalse();
        }
    }

    /** Whether another process (Python, the same fcntl lock) can lock {@code file} at once. */
    private static boolean anotherProcessCanLock(Path file) throws Exception {
        Process p = new ProcessBuilder("python3", "-c", String.join("\n",
                "import fcntl, sys",
                "f = open(sys.argv[1], 'a+')",
                "try:",
                "    fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB)",
                "    print('locked')",
                "except OSError:",
                "    print('busy')"), file.toString()).redirectErrorStream(true).start();
        String line = new BufferedReader(new InputStreamReader(p.getInputStream())).readLine();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(line).isIn("locked", "busy");
        return line.equals("locked");
    }

    @Test
    void theWaitIsBoundedAndSaysWhoHoldsTheLock() throws Exception {
        Path dir = RuntimeDir.ensure(home.resolve("run"));
        holdInAnotherProcess(RelayLock.path(dir, "G|h1|0"));
        assertThatThrownBy(() -> RelayLock.acquire(dir, "G|h1|0", Duration.ofSeconds(1), () -> { }))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("(pid " + holder.pid() + ") still holds")
                .hasMessageContaining("nothing was started");
    }
}
