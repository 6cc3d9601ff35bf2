package org.distarch.remote.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.distarch.launch.RemoteTarget;
import org.distarch.remote.relay.Relay;

/**
 * Sessions to a real relay running in this JVM on pipes instead of ssh: the relay starts real local processes.
 * {@link #cut} breaks every open session the way a dying ssh would.
 */
final class PipeTransport implements SessionTransport {

    final List<PipeChannel> opened = new CopyOnWriteArrayList<>();
    volatile String refuseWith;

    @Override
    public Channel open(RemoteTarget target, Path directory) throws IOException {
        PipedOutputStream toRelay = new PipedOutputStream();
        PipedInputStream relayIn = new PipedInputStream(toRelay, 1 << 16);
        PipedInputStream fromRelay = new PipedInputStream(1 << 20);
        PipedOutputStream relayOut = new PipedOutputStream(fromRelay);
        if (refuseWith != null) {
            // What ssh prints and exits with when it cannot get in.
            relayOut.write((refuseWith + "\n").getBytes());
            relayOut.close();
            PipeChannel refused = new PipeChannel(fromRelay, toRelay, CompletableFuture.completedFuture(255));
            opened.add(refused);
            return refused;
        }
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        Thread relay = new Thread(() -> {
            try {
                exit.complete(Relay.run(relayIn, relayOut, new PrintStream(System.err)));
            } catch (Throwable t) {
                exit.complete(-1);
            } finally {
                try {
                    relayOut.close();
                } catch (IOException e) {
                    // closed already
                }
            }
        }, "test-relay-" + target.host());
        relay.setDaemon(true);
        relay.start();
        PipeChannel channel = new PipeChannel(fromRelay, toRelay, exit);
        opened.add(channel);
        return channel;
    }

    /** Breaks every session now: the master side sees its stream end, the relay its stdin. */
    void cut() {
        opened.forEach(PipeChannel::destroy);
    }

    static final class PipeChannel implements Channel {
        private final PipedInputStream in;
        private final PipedOutputStream out;
        private final CompletableFuture<Integer> exit;
        private volatile boolean destroyed;

        PipeChannel(PipedInputStream in, PipedOutputStream out, CompletableFuture<Integer> exit) {
            this.in = in;
            this.out = out;
            this.exit = exit;
        }

        @Override
        public InputStream in() {
            return in;
        }

        @Override
        public OutputStream out() {
            return out;
        }

        @Override
        public int waitFor() throws InterruptedException {
            if (destroyed) {
                return 255;
            }
            try {
                return exit.get();
            } catch (java.util.concurrent.ExecutionException e) {
                return -1;
            }
        }

        @Override
        public void destroy() {
            destroyed = true;
            try {
                out.close();
                in.close();
            } catch (IOException e) {
                // gone
            }
            exit.complete(255);
        }
    }
}
