package org.distarch.control;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Sends one request to a master's control socket and returns its answer. */
public final class ControlClient {

    private ControlClient() {}

    /** @throws IOException when no master listens there (the message says so) */
    public static ControlResponse send(Path socket, ControlRequest request) throws IOException {
        if (!Files.exists(socket)) {
            throw new IOException("no master is running with control socket " + socket
                    + " (give the same --pid as the master's)");
        }
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            try {
                channel.connect(UnixDomainSocketAddress.of(socket));
            } catch (IOException e) {
                throw new IOException("no master answers on " + socket + " (" + e.getMessage()
                        + "); it may have stopped and left the file behind", e);
            }
            Channels.newOutputStream(channel).write((ControlCodec.encode(request) + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel),
                    StandardCharsets.UTF_8));
            String line = in.readLine();
            if (line == null) {
                throw new IOException("the master closed the control connection without answering");
            }
            return ControlCodec.response(line);
        }
    }
}
