package org.distarch.queue.consumer;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/**
 * The two directions of a consumer's connection, each usable by one thread while the other is used by
 * another: the reader thread blocks in {@link #read} while the handler's thread writes answers.
 */
interface Duplex extends Closeable {

    int read(byte[] buffer) throws IOException;

    void write(byte[] bytes) throws IOException;

    /** A TCP socket, whose read timeout tells a silent feeder. */
    static Duplex of(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();
        return new Duplex() {
            @Override
            public int read(byte[] buffer) throws IOException {
                return in.read(buffer);
            }

            @Override
            public void write(byte[] bytes) throws IOException {
                out.write(bytes);
                out.flush();
            }

            @Override
            public void close() throws IOException {
                socket.close();
            }
        };
    }
}
