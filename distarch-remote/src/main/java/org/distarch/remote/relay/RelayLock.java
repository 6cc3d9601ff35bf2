package org.distarch.remote.relay;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Only one relay runs a given group's processes on a host at a time: a new relay (after the master
 * reconnected, or restarted) waits here until the previous one has stopped its processes and exited, so an
 * instance never runs twice. One lock file per lock key in the user's own {@link RuntimeDir}, opened without
 * following links; the wait is bounded and says which relay holds the lock.
 *
 * <p>The lock is a POSIX record lock (what {@link FileChannel#tryLock} takes), which the kernel drops as soon as
 * the process closes <em>any</em> descriptor of the file: so the file is opened once, through {@link #channel},
 * and everything (writing our pid, reading the holder's) goes through that channel. And the file is never
 * removed: a relay waiting on a removed file would lock a file that no longer has the name while the next one
 * creates and locks a new one, two holders at once. It stays, empty, for the next relay.
 */
final class RelayLock implements AutoCloseable {

    static final Duration DEFAULT_LIMIT = Duration.ofMinutes(5);
    private static final long POLL_MILLIS = 200;
    private static final int PID_BYTES = 32;

    private final Path path;
    private final FileChannel channel;
    private final FileLock lock;

    private RelayLock(Path path, FileChannel channel, FileLock lock) {
        this.path = path;
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock, calling {@code waiting} once if another relay holds it, waiting at most {@code limit}. */
    static RelayLock acquire(Path dir, String key, Duration limit, Runnable waiting) throws IOException {
        Path path = path(dir, key);
        long deadline = System.nanoTime() + limit.toNanos();
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        try {
            FileLock lock;
            boolean told = false;
            while ((lock = tryLock(channel)) == null) {
                if (!told) {
                    told = true;
                    waiting.run();
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("another relay of these processes (pid " + holder(channel)
                            + ") still holds " + path + " after " + limit.toSeconds() + "s: it may be stuck "
                            + "stopping its processes; nothing was started");
                }
                Thread.sleep(POLL_MILLIS);
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid())
                    .getBytes(StandardCharsets.US_ASCII)), 0);
            return new RelayLock(path, channel, lock);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        } catch (InterruptedException e) {
            channel.close();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + path);
        }
    }

    /** Null when another relay holds it (another process, or, in tests, another relay in this JVM). */
    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            return null;
        }
    }

    static RelayLock acquire(String key, Runnable waiting) throws IOException {
        return acquire(RuntimeDir.ensure(), key, DEFAULT_LIMIT, waiting);
    }

    static Path path(Path dir, String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return dir.resolve("relay-" + HexFormat.of().formatHex(digest, 0, 12) + ".lock");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    Path path() {
        return path;
    }

    /** The pid written in the lock file, read through our own channel (opening the file again would drop the lock). */
    String holder() throws IOException {
        return holder(channel);
    }

    /**
     * Beside the lock: the journal of the workers of the relay that holds it, so that the next holder waits for
     * them (the lock goes with the relay's JVM; its workers may outlive it).
     */
    Path journal() {
        String name = path.getFileName().toString();
        return path.resolveSibling(name.substring(0, name.length() - ".lock".length()) + ".workers");
    }

    private static String holder(FileChannel channel) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(PID_BYTES);
        channel.read(bytes, 0);
        String text = new String(bytes.array(), 0, bytes.position(), StandardCharsets.US_ASCII).trim();
        return text.isEmpty() ? "?" : text;
    }

    /** Empties the file (no pid of a relay that is gone), then lets go; the file stays for the next relay. */
    @Override
    public void close() throws IOException {
        try {
            channel.truncate(0);
        } finally {
            try {
                lock.release();
            } finally {
                channel.close();
            }
        }
    }
}
