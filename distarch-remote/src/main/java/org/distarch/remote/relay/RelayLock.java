package org.distarch.remote.relay;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Only one relay runs a given group's processes on a host at a time: a new relay (after the master
 * reconnected, or restarted) waits here until the previous one has stopped its processes and exited, so an
 * instance never runs twice. One lock file per user and lock key, in the system's temporary directory.
 */
final class RelayLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private RelayLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock, calling {@code waiting} once first if another relay holds it. */
    static RelayLock acquire(String key, Runnable waiting) throws IOException {
        FileChannel channel = FileChannel.open(path(key), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                waiting.run();
                lock = channel.lock();
            }
            return new RelayLock(channel, lock);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    static Path path(String key) {
        String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9_.-]", "_");
        return Path.of(System.getProperty("java.io.tmpdir"), "distarch-relay-" + user + "-"
                + Integer.toHexString(key.hashCode()) + ".lock");
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
