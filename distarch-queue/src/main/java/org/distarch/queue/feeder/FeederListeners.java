package org.distarch.queue.feeder;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.distarch.worker.CannotStartException;
import org.slf4j.Logger;

/** The feeder's listening sockets (TCP, and the UNIX socket on request) and accepting on them. */
final class FeederListeners implements Closeable {

    /** A client just accepted, non-blocking, with a name for logs. */
    record Accepted(SocketChannel channel, String peer) {}

    private final FeederOptions options;
    private final Selector selector;
    private final Logger log;
    private ServerSocketChannel tcp;
    private ServerSocketChannel unix;
    private Path socketFile;

    FeederListeners(FeederOptions options, Selector selector, Logger log) {
        this.options = options;
        this.selector = selector;
        this.log = log;
    }

    /**
     * A UNIX socket that cannot be opened safely is skipped with a warning (its consumers fall back to TCP);
     * a TCP port that cannot be bound is an error.
     *
     * @return what the feeder listens on, e.g. {@code tcp://0.0.0.0:9999 unix:/tmp/distarch-me/queue-9999.sock}
     */
    String bind() throws IOException {
        tcp = ServerSocketChannel.open();
        tcp.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        try {
            tcp.bind(new InetSocketAddress(options.bindTo(), options.port()), 256);
        } catch (IOException | java.nio.channels.UnresolvedAddressException e) {
            FeederServer.closeQuietly(tcp);
            tcp = null;
            // One line, and the master gives the feeder up instead of restarting it into the same wall.
            throw new CannotStartException(cannotListen(options.bindTo(), options.port(), e), e);
        }
        tcp.configureBlocking(false);
        tcp.register(selector, SelectionKey.OP_ACCEPT);
        String where = "tcp://" + options.bindTo() + ":" + tcpPort();
        if (options.socketPath() != null) {
            try {
                Path path = Path.of(options.socketPath());
                prepareSocketDirectory(path.getParent());
                Files.deleteIfExists(path);
                unix = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
                unix.bind(UnixDomainSocketAddress.of(path));
                unix.configureBlocking(false);
                unix.register(selector, SelectionKey.OP_ACCEPT);
                socketFile = path;
                where += " unix:" + path;
            } catch (IOException | UnsupportedOperationException e) {
                log.warn("UNIX socket {} not opened ({}): local consumers use TCP", options.socketPath(), e.toString());
                FeederServer.closeQuietly(unix);
                unix = null;
            }
        }
        return where;
    }

    boolean bound() {
        return tcp != null;
    }

    int tcpPort() {
        return tcp == null ? -1 : ((InetSocketAddress) tcp.socket().getLocalSocketAddress()).getPort();
    }

    /** The next client waiting on {@code server}, ready for the selector; null when there is none after all. */
    Accepted accept(ServerSocketChannel server) {
        SocketChannel channel;
        try {
            channel = server.accept();
        } catch (IOException e) {
            log.warn("Accepting a consumer failed: {}", e.toString());
            return null;
        }
        if (channel == null) {
            return null;
        }
        try {
            channel.configureBlocking(false);
            if (server == tcp) {
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                return new Accepted(channel, String.valueOf(channel.getRemoteAddress()).replaceFirst("^/", ""));
            }
            return new Accepted(channel, "unix socket");
        } catch (IOException e) {
            log.warn("Setting up a consumer connection failed: {}", e.toString());
            FeederServer.closeQuietly(channel);
            return null;
        }
    }

    /** Stops listening and removes the socket file; the connections already made are not touched. */
    @Override
    public void close() {
        FeederServer.closeQuietly(tcp);
        FeederServer.closeQuietly(unix);
        if (socketFile != null) {
            try {
                Files.deleteIfExists(socketFile);
            } catch (IOException ignored) {
                // a stale socket file is replaced by the next feeder
            }
            socketFile = null;
        }
    }

    /** The directory must be ours and closed to everyone else: the socket accepts anyone who can reach it. */
    /** {@code cannot listen on 127.0.0.1:9999: address already in use} (the master's start-up check says the same). */
    static String cannotListen(String host, int port, Exception e) {
        String why = e instanceof java.nio.channels.UnresolvedAddressException || e.getMessage() == null
                ? "unknown host" : e.getMessage().toLowerCase(java.util.Locale.ROOT);
        return "cannot listen on " + host + ":" + port + ": " + why;
    }

    private static void prepareSocketDirectory(Path dir) throws IOException {
        if (dir == null) {
            throw new IOException("the socket path has no directory");
        }
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.createDirectories(dir,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (FileAlreadyExistsException raced) {
                // another feeder made it meanwhile: checked below like any existing directory
            }
        }
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(dir + " is not a directory");
        }
        String me = System.getProperty("user.name");
        String owner = Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS).getName();
        if (!owner.equals(me)) {
            throw new IOException(dir + " belongs to " + owner + ", not " + me);
        }
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
        if (perms.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
            throw new IOException(dir + " is open to other users (" + PosixFilePermissions.toString(perms) + ")");
        }
    }
}
