package org.distarch.queue.consumer;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/**
 * A UNIX socket channel whose reads and writes time out as a TCP socket's reads do ({@code SO_TIMEOUT}): a
 * blocking channel has no timeout, so a feeder gone silent (stopped, hung) would hold a consumer on a UNIX
 * socket forever, where over TCP it counts as gone after the network timeout. The channel is non-blocking and
 * each direction waits in a selector of its own, so that a read blocked in one thread leaves writes from
 * another free; a close wakes both.
 */
final class UnixDuplex implements Duplex {

    private final SocketChannel channel;
    private final long timeoutMillis;
    private final Selector readable;
    private final Selector writable;

    UnixDuplex(SocketChannel channel, long timeoutMillis) throws IOException {
        this.channel = channel;
        this.timeoutMillis = timeoutMillis;
        channel.configureBlocking(false);
        Selector r = Selector.open();
        Selector w;
        try {
            w = Selector.open();
        } catch (IOException e) {
            r.close();
            throw e;
        }
        this.readable = r;
        this.writable = w;
        channel.register(readable, SelectionKey.OP_READ);
        channel.register(writable, SelectionKey.OP_WRITE);
    }

    @Override
    public int read(byte[] buffer) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(buffer);
        // Waits first: a consumer reads when it has nothing in hand, so the next frame is mostly still on its
        // way, and reading first would cost a system call that finds nothing.
        await(readable, "Read timed out");
        int n;
        while ((n = channel.read(b)) == 0) {
            await(readable, "Read timed out");
        }
        return n;
    }

    @Override
    public void write(byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        channel.write(b);
        while (b.hasRemaining()) {
            await(writable, "Write timed out"); // the feeder reads nothing: its buffer, then ours, is full
            channel.write(b);
        }
    }

    /** Waits until {@code selector}'s direction is ready, at most the timeout. */
    private void await(Selector selector, String timedOut) throws IOException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (true) {
            if (!channel.isOpen()) {
                throw new AsynchronousCloseException();
            }
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                throw new SocketTimeoutException(timedOut);
            }
            int ready;
            try {
                ready = selector.select(left);
                selector.selectedKeys().clear();
            } catch (ClosedSelectorException e) { // closed by another thread meanwhile
                throw new AsynchronousCloseException();
            }
            if (ready > 0) {
                return;
            }
        }
    }

    @Override
    public void close() throws IOException {
        try {
            channel.close();
        } finally {
            readable.wakeup();
            writable.wakeup();
            readable.close();
            writable.close();
        }
    }
}
