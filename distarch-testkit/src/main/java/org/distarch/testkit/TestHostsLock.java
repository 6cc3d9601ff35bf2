package org.distarch.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The test hosts' names, bridge and subnet (testhosts/testhosts.sh) are machine-wide: one user at a time may
 * hold them, a test fixture (distarch-it's TestHosts) or the soak (bin/soak). A semaphore orders users in this
 * JVM (file locks are per process), a lock file orders builds.
 */
public final class TestHostsLock implements AutoCloseable {

    private static final Path LOCK_FILE = Path.of("/tmp/distarch-testhosts.lock");
    private static final Semaphore IN_THIS_JVM = new Semaphore(1);

    private FileChannel channel;
    private boolean holdsSemaphore;

    private TestHostsLock() {
    }

    /** Waits (at most {@code limit}) until no other fixture, here or in another build, holds the hosts. */
    public static TestHostsLock acquire(Duration limit) {
        TestHostsLock lock = new TestHostsLock();
        try {
            lock.lock(limit);
            return lock;
        } catch (RuntimeException | Error e) {
            lock.close();
            throw e;
        }
    }

    private void lock(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        try {
            if (!IN_THIS_JVM.tryAcquire(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("test hosts still in use by another fixture in this JVM after " + limit);
            }
            holdsSemaphore = true;
            channel = FileChannel.open(LOCK_FILE, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock held = channel.tryLock();
            if (held == null) {
                System.out.println("testhosts: waiting (at most " + limit.toMinutes()
                        + " min) for another build's test hosts to go down (" + LOCK_FILE + ")");
            }
            while (held == null) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("test hosts still in use by another process (" + LOCK_FILE
                            + ") after " + limit);
                }
                Thread.sleep(200);
                held = channel.tryLock();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the test hosts", e);
        }
    }

    @Override
    public void close() {
        try {
            if (channel != null) {
                channel.close(); // releases the file lock
            }
        } catch (IOException ignored) {
            // closing a lock file cannot lose anything
        } finally {
            channel = null;
            if (holdsSemaphore) {
                holdsSemaphore = false;
                IN_THIS_JVM.release();
            }
        }
    }
}
