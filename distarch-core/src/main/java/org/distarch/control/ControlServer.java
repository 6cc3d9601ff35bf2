package org.distarch.control;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.distarch.config.ConfigException;
import org.distarch.config.DistarchConfig;

/**
 * Serves a {@link ControlPlane} on a UNIX socket that only its owner may use (mode 0600). One thread
 * accepts and answers connections one at a time; requests are tiny, and a client that stalls is cut off
 * after a few seconds.
 */
public final class ControlServer implements AutoCloseable {

    private static final int CLIENT_TIMEOUT_SECONDS = 60;

    private final Path socket;
    private final ServerSocketChannel server;
    private final ControlPlane plane;
    private final Function<String, DistarchConfig> configs;
    private final Thread thread;

    /**
     * @param configs loads the configuration a reload names (null: the master's own file); throws
     *                {@link ConfigException} when it is invalid
     */
    private ControlServer(Path socket, ControlPlane plane, Function<String, DistarchConfig> configs) throws IOException {
        this.socket = socket;
        this.plane = plane;
        this.configs = configs;
        Files.createDirectories(socket.toAbsolutePath().getParent());
        Files.deleteIfExists(socket);
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        this.thread = new Thread(this::serve, "distarch-control");
        thread.setDaemon(true);
        thread.start();
    }

    public static ControlServer start(Path socket, ControlPlane plane, Function<String, DistarchConfig> configs)
            throws IOException {
        return new ControlServer(socket, plane, configs);
    }

    public Path socket() {
        return socket;
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            // a stale socket file is replaced at the next start
        }
    }

    private void serve() {
        while (server.isOpen()) {
            try (SocketChannel client = server.accept()) {
                answer(client);
            } catch (IOException e) {
                if (!server.isOpen()) {
                    return;
                }
            } catch (RuntimeException e) {
                // A bad client must never take the control socket down.
            }
        }
    }

    private void answer(SocketChannel client) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(client),
                StandardCharsets.UTF_8));
        String line = readLine(in);
        ControlResponse response;
        try {
            response = handle(ControlCodec.request(line));
        } catch (IllegalArgumentException | ConfigException e) {
            response = new ControlResponse(ControlResult.refused(e.getMessage()), null);
        }
        OutputStream out = Channels.newOutputStream(client);
        out.write((ControlCodec.encode(response) + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static String readLine(BufferedReader in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (line.length() >= ControlCodec.MAX_LINE) {
                throw new IllegalArgumentException("request longer than " + ControlCodec.MAX_LINE + " bytes");
            }
            line.append((char) c);
        }
        return line.toString();
    }

    private ControlResponse handle(ControlRequest r) {
        String op = r.op() == null ? "" : r.op();
        try {
            return switch (op) {
                case "status" -> new ControlResponse(null, plane.status().get(CLIENT_TIMEOUT_SECONDS, TimeUnit.SECONDS));
                case "suspend" -> result(plane.suspend(r.group(), r.force()).get(CLIENT_TIMEOUT_SECONDS, TimeUnit.SECONDS));
                case "resume" -> result(plane.resume(r.group()).get(CLIENT_TIMEOUT_SECONDS, TimeUnit.SECONDS));
                case "stop" -> result(plane.stop().get(CLIENT_TIMEOUT_SECONDS, TimeUnit.SECONDS));
                case "reload" -> result(plane.reload(configs.apply(r.config()), r.dryRun())
                        .get(CLIENT_TIMEOUT_SECONDS, TimeUnit.SECONDS));
                default -> result(ControlResult.refused("unknown operation \"" + op
                        + "\" (status, suspend, resume, stop, reload)"));
            };
        } catch (ConfigException e) {
            return result(new ControlResult(false, "Reload refused, the running fleet is untouched:",
                    e.getMessage().lines().toList()));
        } catch (java.util.concurrent.ExecutionException e) {
            return result(ControlResult.refused("failed: " + e.getCause()));
        } catch (java.util.concurrent.TimeoutException e) {
            return result(ControlResult.refused("the master did not answer within " + CLIENT_TIMEOUT_SECONDS + "s"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return result(ControlResult.refused("interrupted"));
        }
    }

    private static ControlResponse result(ControlResult result) {
        return new ControlResponse(result, null);
    }
}
